// ncursesw with wide characters, plus inline wrappers for what Swift cannot import (macros).
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
