# Copyright (c) mmpart contributors. All rights reserved.
import json

import pytest

from mmpart.converters import (PINPPFormatError, inclusion_depths,
                               read_discarded, read_inclusions,
                               read_object_names)


def test_read_inclusions_crlf_without_final_newline(tmp_path):
    path = tmp_path / 'n1.txt'
    path.write_bytes(b'nose:head\r\nhead:body\r\n\r\nshell : body')
    assert read_inclusions(str(path)) == [('nose', 'head'), ('head', 'body'),
                                          ('shell', 'body')]
    path.write_bytes(b'nose:head\r\nnose head\r\n')
    with pytest.raises(PINPPFormatError,
                       match=r'n1.txt:2: expected "child:paren'):
        read_inclusions(str(path))
    # Latin-1 bytes: the file and the line, not a bare UnicodeDecodeError.
    path.write_bytes(b'nose:head\r\nhead:body\r\nf\xfc\xdf:body\r\n')
    with pytest.raises(PINPPFormatError, match=r'n1.txt:3: not UTF-8'):
        read_inclusions(str(path))


def test_inclusion_depths():
    depths = inclusion_depths(['body', 'head', 'nose', 'tail'],
                              [('nose', 'head'), ('head', 'body')])
    assert depths == dict(body=0, head=1, nose=2, tail=0)
    with pytest.raises(PINPPFormatError, match='cycle'):
        inclusion_depths(['a', 'b'], [('a', 'b'), ('b', 'a')], 'x.txt')
    with pytest.raises(PINPPFormatError, match='two parents'):
        inclusion_depths(['a', 'b', 'c'], [('a', 'b'), ('a', 'c')])


@pytest.mark.parametrize('content', [
    ['n01440764/n01440764_12.JPEG', 'n01443537_7.JPEG'],
    {'n01440764': ['n01440764_12.JPEG'], 'n01443537': ['n01443537_7']},
    [{'file_name': 'train/n01440764/n01440764_12.JPEG', 'reason': 'blur'},
     {'file_name': 'n01443537\\n01443537_7.JPEG'}],
])
def test_read_discarded_any_structure(tmp_path, content):
    path = tmp_path / 'discarded_data.json'
    path.write_text(json.dumps(content))
    assert read_discarded(str(path)) == {'n01440764_12', 'n01443537_7'}


def test_read_object_names(tmp_path):
    path = tmp_path / 'category_name.json'
    path.write_text(json.dumps({
        'n1': 'tench',
        'n2': {'object': 'goldfish', 'parts': ['body']},
        'n3': {'name': 'shark'},
        'n4': ['ray', 'body', 'tail'],
        'n5': 7,
    }))
    assert read_object_names(str(path)) == dict(
        n1='tench', n2='goldfish', n3='shark', n4='ray')
    path.write_text('[1, 2]')
    assert read_object_names(str(path)) == {}


def test_bad_json_files_name_the_file_and_line(tmp_path):
    path = tmp_path / 'discarded_data.json'
    path.write_text('[\n"n1_2.JPEG",\n"n1_3.JPEG"\n')
    with pytest.raises(PINPPFormatError,
                       match=r'discarded_data.json:4: not valid JSON'):
        read_discarded(str(path))
    path = tmp_path / 'category_name.json'
    path.write_bytes(b'{"n1":\n "f\xe4"}')
    with pytest.raises(PINPPFormatError,
                       match=r'category_name.json:2: not UTF-8'):
        read_object_names(str(path))
