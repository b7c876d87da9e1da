#ifndef VOUCHERRUSH_CHIREDIS_SHIM_H
#define VOUCHERRUSH_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#include <hiredis/read.h>
#endif
