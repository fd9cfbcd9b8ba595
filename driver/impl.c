/* SPDX-License-Identifier: BSD-3-Clause */
/* impl.c - the implementations this build has, by name (impl.h). */
#include <string.h>

#include "impl.h"

/* Targets besides the model are compiled in when their CMake option is on;
 * each defines its ops table and the build defines SIM_HAVE_<NAME>. */
#ifdef SIM_HAVE_KERNEL_TARGET
extern const sim_impl_ops sim_impl_kernel;
#endif
#ifdef SIM_HAVE_KVM_TARGET
extern const sim_impl_ops sim_impl_kvm;
#endif

static const struct {
    const char *name;
    const sim_impl_ops *ops;
} impls[] = {
    {"model", &sim_impl_model},
#ifdef SIM_HAVE_KERNEL_TARGET
    {"kernel", &sim_impl_kernel},
#endif
#ifdef SIM_HAVE_KVM_TARGET
    {"kvm", &sim_impl_kvm},
#endif
};

const sim_impl_ops *sim_impl_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof(impls) / sizeof(impls[0]); i++) {
        /* by short name ("kernel") or by the ops' own ("kernel-v5") */
        if (strcmp(impls[i].name, name) == 0 || strcmp(impls[i].ops->name, name) == 0) {
            return impls[i].ops;
        }
    }
    return NULL;
}
