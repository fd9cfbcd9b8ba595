/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * names.h - names used in traces, looked up by (pointer, length) so the
 * parser never copies tokens. The tables mirror the model's names (a unit
 * test checks they agree) and add the short aliases of the kernel
 * recordings (REGISTER for EVENT_REGISTER, SIGNAL for EVENT_SIGNAL, ...).
 */
#ifndef SIM_NAMES_H
#define SIM_NAMES_H

#include <stddef.h>
#include <stdint.h>

const char *sim_call_name(unsigned call);        /* "EVENT_REGISTER" */
int sim_call_by_name(const char *s, size_t len); /* sdei_call_id or -1 */
const char *sim_result_name(int64_t result);     /* "DENIED" or NULL */
int sim_result_by_name(const char *s, size_t len, int64_t *out);
const char *sim_vmm_cmd_name(uint32_t cmd); /* "GET_VERSION" or NULL */
int sim_vmm_cmd_by_name(const char *s, size_t len);
const char *sim_errno_name(int32_t ret); /* "-EINVAL", "0" or NULL */
int sim_errno_by_name(const char *s, size_t len, int32_t *out);
const char *sim_profile_name(unsigned profile); /* "spec", "kvm-v5" */
int sim_profile_by_name(const char *s, size_t len);
/* "spec, kvm-v5, absent, tfa or kvm-v6": every profile name, for messages and help. */
void sim_profile_names(char *buf, size_t n);
const char *sim_state_name(unsigned state); /* "U" .. "UP" */
int sim_state_by_name(const char *s, size_t len);

#endif /* SIM_NAMES_H */
