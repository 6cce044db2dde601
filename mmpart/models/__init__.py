# Copyright (c) mmpart contributors. All rights reserved.
