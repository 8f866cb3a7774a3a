// tests/cli/run_process.h — kept for the tests that include it by this name; the
// helpers live in tests/support/ (process runner, temp folders, fixture paths).
#pragma once

#include "tests/support/process.h"
