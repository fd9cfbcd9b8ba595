/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace.h - the versioned text trace format (docs/trace-format.md).
 *
 * One line per action ("> ..."), one per result ("< ..."), checks of the
 * state at any point ("= ..."), comments ("# ..."). This file only converts
 * between text and structs; exec.h applies actions to a model VM.
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sdei/sdei_model.h"

#define SIM_TRACE_VERSION 1u
/* Longest accepted line: a SET of 128 registered events in hex (128 * 8408 * 2)
 * plus slack. Longer lines are bad input, never a crash. */
#define SIM_TRACE_MAX_LINE (2u * 1024u * 1024u + 4096u)
#define SIM_TRACE_MAX_DATA (128u * 8408u)
#define SIM_TRACE_MAX_SETREG 8u

/* Register names a trace may set or check, in sdei_regs order. */
typedef enum sim_reg {
    SIM_REG_X0 = 0, /* .. x30 = 30 */
    SIM_REG_SP = 31,
    SIM_REG_PC,
    SIM_REG_PSTATE,
    SIM_REG_ELR,
    SIM_REG_SPSR,
    SIM_REG_COUNT
} sim_reg;

const char *sim_reg_name(unsigned reg);
int sim_reg_by_name(const char *name, size_t len); /* or -1 */
uint64_t *sim_reg_ptr(sdei_regs *regs, unsigned reg);

/* ---------------------------------------------------------------------------
 * Header: "sdei-trace 1 profile=spec vcpus=4 seed=0x.. [options]"
 * ------------------------------------------------------------------------- */
typedef struct sim_header {
    uint32_t version;
    sdei_profile profile;
    uint32_t vcpus;
    uint64_t seed;
    uint8_t has_seed;
    uint8_t quirks_override;
    uint64_t quirks;
    uint16_t private_bind_slots;
    uint16_t shared_bind_slots;
    uint8_t has_bind;
    uint8_t span;
    uint32_t max_events;
    uint32_t nr_mpidr; /* mpidr= given (= vcpus): each vCPU's MPIDR; 0: KVM's layout */
    uint64_t mpidr[SDEI_MAX_VCPUS];
} sim_header;

/* ---------------------------------------------------------------------------
 * Symbols: the parts of a hand-written line that are not a plain value
 * (docs/trace-format.md "Names and comparisons"): a captured name ($ev), a
 * comparison other than '=', a mask, a byte range of a blob. A parsed line
 * points at them (x != NULL) only when it has any; the replayer resolves the
 * names (vars.h), the comparisons are evaluated by compare.c.
 * ------------------------------------------------------------------------- */
typedef enum sim_cmp_op {
    SIM_OP_EQ = 0,
    SIM_OP_NE,
    SIM_OP_LT,
    SIM_OP_LE,
    SIM_OP_GT,
    SIM_OP_GE,
    SIM_OP_COUNT
} sim_cmp_op;

#define SIM_TRACE_MAX_NAME 31u
#define SIM_TRACE_MAX_SYM 8u

/* Which value of a line a symbol stands for. Results: the SIM_F_* bit index
 * of the field. Actions and checks: */
enum {
    SIM_SLOT_ARG = 0,       /* hvc x1..x5: 0..4 */
    SIM_SLOT_VAL = 8,       /* setreg / = regs values: 8..15 */
    SIM_SLOT_NUM = 16,      /* the event number (trigger, vmm num=, checks) */
    SIM_SLOT_VCPU = 17,     /* the vCPU */
    SIM_SLOT_NORMAL = 18,   /* = vcpu normal= */
    SIM_SLOT_CRITICAL = 19, /* = vcpu critical= */
};

typedef struct sim_sym {
    uint8_t slot;
    uint8_t op;       /* sim_cmp_op */
    uint8_t has_mask; /* compare (actual & mask) */
    uint8_t named;    /* the value is $name */
    uint64_t mask;
    char name[SIM_TRACE_MAX_NAME + 1];
} sim_sym;

typedef struct sim_syms {
    uint8_t n;
    sim_sym s[SIM_TRACE_MAX_SYM];
    uint8_t ranged;    /* results: data[A:B] compares bytes A..B-1 only */
    uint32_t data_off; /* A */
} sim_syms;

/* The symbol of a slot, or NULL (x may be NULL). */
const sim_sym *sim_sym_find(const sim_syms *x, unsigned slot);
const char *sim_op_text(unsigned op); /* "=", "!=", "<", ... */

/* ---------------------------------------------------------------------------
 * Actions.
 * ------------------------------------------------------------------------- */
typedef enum sim_act_kind {
    SIM_A_HVC = 0,     /* > hvc V CALL [a1..a5] */
    SIM_A_SETREG,      /* > setreg V name=val ... */
    SIM_A_DELIVER,     /* > deliver V */
    SIM_A_TRIGGER,     /* > trigger NUM V */
    SIM_A_IRQ,         /* > irq INTID V */
    SIM_A_VMM,         /* > vmm vm|V CMD [count=N] [num=N] [data=HEX] */
    SIM_A_MIGRATE,     /* > migrate */
    SIM_A_EXPOSE,      /* > expose NUM private|shared normal|critical [signaled=N] */
    SIM_A_DELIVER_ANY, /* > deliver-any V|A-B,... : exactly one of them may enter */
    SIM_A_POWER,       /* > power V cpu_off|cpu_on|suspend|resume|cpu_freeze|query|... */
    SIM_A_VCPU_RESET,  /* > vcpu_reset V */
    SIM_A_COUNT
} sim_act_kind;

typedef struct sim_action {
    uint8_t kind;      /* sim_act_kind */
    uint8_t call;      /* hvc: sdei_call_id or SDEI_CALL_ID_NONE for a raw FID */
    uint8_t keep_mask; /* hvc: bit i set = x(i+1) given as "-" (keep) */
    uint8_t nregs;     /* setreg; deliver-any: the number of vCPU ranges */
    uint32_t vcpu;     /* SDEI_VMM_VM (0xFFFFFFFF) for "vmm vm" */
    uint64_t fid;      /* hvc: raw FID when call == NONE */
    uint64_t arg[5];   /* hvc x1..x5 */
    uint8_t reg[SIM_TRACE_MAX_SETREG];
    uint64_t val[SIM_TRACE_MAX_SETREG]; /* deliver-any: ranges, first | last << 32 */
    uint64_t num;                       /* trigger/expose/vmm num */
    uint32_t intid;                     /* irq */
    uint32_t vmm_cmd;
    uint32_t count;
    uint8_t has_count;
    uint8_t via_vmm;                  /* migrate: through the VMM's GET/SET commands into a fresh VM
                                       * (sim_migrate_vmm), not the whole-VM save; written as
                                       * `migrate` either way (the guest cannot tell) */
    uint8_t type, priority, signaled; /* expose */
    uint8_t power;                    /* power: sdei_power_action */
    const uint8_t *data;              /* vmm data (points into parser storage) */
    size_t data_len;
    const sim_syms *syms; /* names in the line, or NULL */
} sim_action;

/* ---------------------------------------------------------------------------
 * Results. `fields` says which values a line carries: a recorded line carries
 * all of them, a hand-written one only those the author cares about; replay
 * compares only the fields present.
 * ------------------------------------------------------------------------- */
typedef enum sim_res_kind {
    SIM_R_RET = 0,     /* hvc returned: x0 (x1..x3 = 0) */
    SIM_R_COMPLETED,   /* COMPLETE / COMPLETE_AND_RESUME took effect */
    SIM_R_NORESULT,    /* nothing written (kvm-v5 failed COMPLETE) */
    SIM_R_NOTSDEI,     /* not an SDEI function ID */
    SIM_R_ENTERED,     /* deliver: handler entered */
    SIM_R_NONE,        /* deliver: nothing to deliver */
    SIM_R_PENDING,     /* trigger latched */
    SIM_R_DROPPED,     /* trigger dropped */
    SIM_R_VMM,         /* vmm: ret [count] [data] */
    SIM_R_OK,          /* migrate / expose */
    SIM_R_ERR,         /* an API error (sdei_err) of the model */
    SIM_R_UNAVAILABLE, /* the implementation cannot take this action (impl.h caps) */
    SIM_R_POWER,       /* power: the sdei_power_result [completed=N] */
    SIM_R_COUNT
} sim_res_kind;

enum {
    SIM_F_X0 = 1u << 0,
    SIM_F_X1 = 1u << 1,
    SIM_F_X2 = 1u << 2,
    SIM_F_X3 = 1u << 3,
    SIM_F_PC = 1u << 4,
    SIM_F_PSTATE = 1u << 5,
    SIM_F_ELR = 1u << 6,
    SIM_F_SPSR = 1u << 7,
    SIM_F_NUM = 1u << 8,
    SIM_F_PRIO = 1u << 9,
    SIM_F_PREEMPTED = 1u << 10,
    SIM_F_RET = 1u << 11,
    SIM_F_COUNT = 1u << 12,
    SIM_F_DATA = 1u << 13,
    SIM_F_ERR = 1u << 14,
    SIM_F_ON = 1u << 15,       /* deliver-any: the vCPU that entered */
    SIM_F_POWER = 1u << 16,    /* power: the result word (done, already_on, ...) */
    SIM_F_COMPLETED = 1u << 17 /* power: handlers the call completed first */
};

typedef struct sim_result {
    uint8_t kind;    /* sim_res_kind */
    uint32_t fields; /* SIM_F_* present */
    uint64_t x[4];
    uint64_t pc, pstate, elr, spsr;
    uint64_t num;
    uint8_t prio, preempted;
    uint8_t x0_named; /* writer: see sim_format_value */
    uint8_t call;     /* hvc: the sdei_call_id the model decoded (not printed) */
    uint8_t any_kind; /* parsed from '< x0=..' / '< ret=..': kind not compared */
    int32_t ret;
    uint32_t count;
    int32_t err;
    const uint8_t *data;
    size_t data_len;
    uint32_t on;          /* deliver / deliver-any: the vCPU */
    uint8_t power;        /* power: sdei_power_result */
    uint8_t completed;    /* power: handlers the call completed first (0..2) */
    uint8_t entries;      /* deliver-any: how many vCPUs entered (one is right) */
    const sim_syms *syms; /* names and comparisons in the line, or NULL */
} sim_result;

/* Zero an action or a result for the executor's hot path. In halves: gcc
 * clears up to 80 bytes with vector stores and more with `rep stos`, which
 * cost twice the instructions per action (issue 9, the simulator's speed). */
static inline void sim_zero_halves(void *p, size_t n)
{
    memset(p, 0, n / 2);
    memset((char *)p + n / 2, 0, n - n / 2);
}
static inline void sim_result_clear(sim_result *r)
{
    sim_zero_halves(r, sizeof(*r));
}
static inline void sim_action_clear(sim_action *a)
{
    /* thirds: 184 bytes */
    memset(a, 0, sizeof(*a) / 3);
    sim_zero_halves((char *)a + sizeof(*a) / 3, sizeof(*a) - sizeof(*a) / 3);
}

const char *sim_res_kind_name(unsigned kind);
/* A numeric field by its SIM_F_* bit (x0..x3 pc pstate elr spsr num prio
 * preempted ret count err on power completed). */
uint64_t sim_result_get(const sim_result *r, uint32_t bit);
void sim_result_set(sim_result *r, uint32_t bit, uint64_t v);
/* The key of a field ("x0", "pstate", ...). */
const char *sim_result_key(uint32_t bit);

/* ---------------------------------------------------------------------------
 * Checks ("= ..."): compare the model's state without acting.
 * ------------------------------------------------------------------------- */
typedef enum sim_check_kind {
    SIM_C_STATE = 0, /* = state NUM V STATE */
    SIM_C_PENDING,   /* = pending NUM V COUNT */
    SIM_C_VCPU,      /* = vcpu V [masked=] [normal=] [critical=] [queued=] */
    SIM_C_REGS,      /* = regs V name=val ... */
    SIM_C_BLOB,      /* = blob exposed|registered|vcpu_event|vcpu_state ... HEX */
    SIM_C_FWREG,     /* = fwreg V NAME HEX: a v7 firmware register (num = its id) */
    SIM_C_COUNT
} sim_check_kind;

typedef enum sim_blob_kind {
    SIM_BLOB_EXPOSED = 0, /* = blob exposed INDEX HEX */
    SIM_BLOB_REGISTERED,  /* = blob registered NUM HEX */
    SIM_BLOB_VCPU_EVENT,  /* = blob vcpu_event V NUM HEX */
    SIM_BLOB_VCPU_STATE,  /* = blob vcpu_state V HEX */
    SIM_BLOB_COUNT
} sim_blob_kind;

typedef struct sim_check {
    uint8_t kind; /* sim_check_kind */
    uint8_t blob; /* sim_blob_kind */
    uint8_t nregs;
    uint8_t state; /* sdei_event_state */
    uint32_t vcpu;
    uint64_t num;
    uint32_t index;
    uint32_t fields; /* vcpu: bit0 masked, bit1 normal, bit2 critical, bit3 queued,
                      * bit4 power */
    uint8_t masked;
    uint8_t power; /* vcpu: sdei_power_state */
    uint64_t normal, critical;
    uint32_t queued;
    uint32_t pending;
    uint8_t reg[SIM_TRACE_MAX_SETREG];
    uint64_t val[SIM_TRACE_MAX_SETREG];
    const uint8_t *data;
    size_t data_len;
    const sim_syms *syms; /* names and comparisons in the line, or NULL */
} sim_check;

/* ---------------------------------------------------------------------------
 * Parsing. Every parser returns 0 on success, or -1 with a message in err
 * ("what was expected"); the caller adds "file:line: ".
 * ------------------------------------------------------------------------- */
typedef struct sim_parse_err {
    char msg[200];
} sim_parse_err;

/* Numbers: decimal, 0x-hex, or negative decimal (two's complement). */
int sim_parse_u64(const char *s, size_t len, uint64_t *out);
/* A value: a number, an SDEI result name (DENIED, ...) or "none" (0xFFFFFFFF). */
int sim_parse_value(const char *s, size_t len, uint64_t *out);
/* Hex bytes (an even number of hex digits, '_' ignored) into out. */
int sim_parse_hex(const char *s, size_t len, uint8_t *out, size_t cap, size_t *out_len);

/* The line kinds. `line` is NUL-terminated, without the newline. Data bytes
 * go to `store` (cap bytes) and symbols ($names, comparisons) to `x`, which
 * the parsed line points into. With x = NULL a line with symbols is bad
 * input (a reader that cannot resolve names). */
int sim_parse_header(const char *line, sim_header *h, sim_parse_err *e);
int sim_parse_action(const char *line, sim_action *a, sim_syms *x, uint8_t *store, size_t cap,
                     sim_parse_err *e);
int sim_parse_result(const char *line, sim_result *r, sim_syms *x, uint8_t *store, size_t cap,
                     sim_parse_err *e);
int sim_parse_check(const char *line, sim_check *c, sim_syms *x, uint8_t *store, size_t cap,
                    sim_parse_err *e);

/* ---------------------------------------------------------------------------
 * Writing. The writers append to a buffer (fast path for the simulator) and
 * return the number of characters written (the buffer must hold
 * SIM_TRACE_LINE_ROOM bytes, or more for data).
 * ------------------------------------------------------------------------- */
#define SIM_TRACE_LINE_ROOM 1024u
size_t sim_format_header(char *buf, const sim_header *h);
/* Bytes sim_format_header needs for h (an mpidr= list grows with the vCPUs). */
size_t sim_format_header_room(const sim_header *h);
size_t sim_format_action(char *buf, const sim_action *a);
size_t sim_format_result(char *buf, const sim_result *r);
size_t sim_format_check(char *buf, const sim_check *c);
/* Bytes a formatted line with data_len bytes of hex data needs. */
size_t sim_format_room(size_t data_len);

/* A value as text: named = 1 prints SDEI result names (0 = SUCCESS), named = 2
 * only for the negative codes, named = 0 never; else decimal below 10, hex. */
size_t sim_format_value(char *buf, uint64_t v, int named);

#endif /* SIM_TRACE_H */
