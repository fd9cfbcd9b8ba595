/* SPDX-License-Identifier: BSD-3-Clause */
/* Stand-in for uapi linux/psci.h: nothing the SDEI code uses. */
#ifndef KSTUB_LINUX_PSCI_H
#define KSTUB_LINUX_PSCI_H
#endif
