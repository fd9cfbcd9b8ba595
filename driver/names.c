/* SPDX-License-Identifier: BSD-3-Clause */
/* names.c - name tables for traces (see names.h). */
#include "names.h"

#include <stdio.h>
#include <string.h>

#include "sdei/sdei_model.h"
#include "sdei/sdei_vmm.h"

static int eq(const char *s, size_t len, const char *name)
{
    return strlen(name) == len && memcmp(s, name, len) == 0;
}

/* The call names are the model's (sdei_call_name): one table. */
const char *sim_call_name(unsigned call)
{
    return sdei_call_name((sdei_call_id)call);
}

int sim_call_by_name(const char *s, size_t len)
{
    for (unsigned i = 0; i < SDEI_CALL_COUNT; i++) {
        const char *name = sdei_call_name((sdei_call_id)i);
        if (eq(s, len, name)) {
            return (int)i;
        }
        /* Short aliases: EVENT_X may be written X (the recordings' names). */
        if (strncmp(name, "EVENT_", 6) == 0 && eq(s, len, name + 6)) {
            return (int)i;
        }
    }
    if (len > 5 && memcmp(s, "SDEI_", 5) == 0) {
        return sim_call_by_name(s + 5, len - 5);
    }
    return -1;
}

static const struct {
    int64_t v;
    const char *name;
} results[] = {
    {0, "SUCCESS"}, {-1, "NOT_SUPPORTED"}, {-2, "INVALID_PARAMETERS"},
    {-3, "DENIED"}, {-5, "PENDING"},       {-10, "OUT_OF_RESOURCE"},
};

const char *sim_result_name(int64_t result)
{
    for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
        if (results[i].v == result) {
            return results[i].name;
        }
    }
    return NULL;
}

int sim_result_by_name(const char *s, size_t len, int64_t *out)
{
    for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
        if (eq(s, len, results[i].name)) {
            *out = results[i].v;
            return 0;
        }
    }
    return -1;
}

static const char *const vmm_names[SDEI_CMD_COUNT] = {
    "GET_VERSION",
    "GET_EXPOSED_EVENT_COUNT",
    "GET_EXPOSED_EVENT",
    "SET_EXPOSED_EVENT",
    "GET_REGISTERED_EVENT_COUNT",
    "GET_REGISTERED_EVENT",
    "SET_REGISTERED_EVENT",
    "GET_VCPU_EVENT_COUNT",
    "GET_VCPU_EVENT",
    "SET_VCPU_EVENT",
    "GET_VCPU_STATE",
    "SET_VCPU_STATE",
    "INJECT_EVENT",
};

const char *sim_vmm_cmd_name(uint32_t cmd)
{
    return cmd < SDEI_CMD_COUNT ? vmm_names[cmd] : NULL;
}

int sim_vmm_cmd_by_name(const char *s, size_t len)
{
    for (unsigned i = 0; i < SDEI_CMD_COUNT; i++) {
        if (eq(s, len, vmm_names[i])) {
            return (int)i;
        }
    }
    return -1;
}

static const struct {
    int32_t v;
    const char *name;
} errnos[] = {
    {0, "0"},
    {-SDEI_EPERM, "-EPERM"},
    {-SDEI_ENOENT, "-ENOENT"},
    {-SDEI_EFAULT, "-EFAULT"},
    {-SDEI_EEXIST, "-EEXIST"},
    {-SDEI_EINVAL, "-EINVAL"},
    {-SDEI_ERANGE, "-ERANGE"},
    {-12, "-ENOMEM"},
};

const char *sim_errno_name(int32_t ret)
{
    for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++) {
        if (errnos[i].v == ret) {
            return errnos[i].name;
        }
    }
    return NULL;
}

int sim_errno_by_name(const char *s, size_t len, int32_t *out)
{
    for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++) {
        if (eq(s, len, errnos[i].name)) {
            *out = errnos[i].v;
            return 0;
        }
    }
    return -1;
}

/* The model's names (quirks.c): one table for the library and the tools. */
const char *sim_profile_name(unsigned profile)
{
    return sdei_profile_name((sdei_profile)profile);
}

int sim_profile_by_name(const char *s, size_t len)
{
    for (unsigned i = 0; i < SDEI_PROFILE_COUNT; i++) {
        if (eq(s, len, sdei_profile_name((sdei_profile)i))) {
            return (int)i;
        }
    }
    return -1;
}

void sim_profile_names(char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned p = 0; p < SDEI_PROFILE_COUNT; p++) {
        const char *sep = p == 0 ? "" : p + 1 == SDEI_PROFILE_COUNT ? " or " : ", ";
        int w = snprintf(buf + len, n - len, "%s%s", sep, sim_profile_name(p));
        len += w > 0 && (size_t)w < n - len ? (size_t)w : 0;
    }
}

static const char *const state_names[SDEI_STATE_COUNT] = {"U", "D", "E", "RE", "RD", "UP"};

const char *sim_state_name(unsigned state)
{
    return state < SDEI_STATE_COUNT ? state_names[state] : "?";
}

int sim_state_by_name(const char *s, size_t len)
{
    for (unsigned i = 0; i < SDEI_STATE_COUNT; i++) {
        if (eq(s, len, state_names[i])) {
            return (int)i;
        }
    }
    return -1;
}
