/* testlib.c - helpers shared by the Check suites. */
#include "testlib.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void t_expose_defaults(sdei_vm *vm)
{
    if (sdei_vm_quirks(vm) & SDEI_QUIRK_BIT(EVENT_TABLE_KVM)) {
        return; /* v7: KVM's events 0 and 1 exist from creation; nothing else can */
    }
    const sdei_event_desc evs[] = {
        {T_EV0, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL, 1},
        {T_EVP, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL, 0},
        {T_EVC, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_CRITICAL, 0},
        {T_EVS, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL, 0},
        {T_EVSC, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_CRITICAL, 0},
    };
    /* event_table_v6: KVM's table (event 0) is all there is */
    int table = (sdei_vm_quirks(vm) & SDEI_QUIRK_BIT(EVENT_TABLE_V6)) != 0;
    for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
        sdei_err e = sdei_vm_expose_event(vm, &evs[i]);
        ck_assert_int_eq(e, table && evs[i].num != T_EV0 ? SDEI_E_EVENT : SDEI_OK);
    }
}

sdei_vm *t_vm_bare(sdei_profile profile, uint32_t nr_vcpus)
{
    sdei_config cfg = sdei_config_default(nr_vcpus);
    cfg.profile = profile;
    sdei_vm *vm = NULL;
    ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
    ck_assert_ptr_nonnull(vm);
    return vm;
}

sdei_vm *t_vm(sdei_profile profile, uint32_t nr_vcpus)
{
    sdei_vm *vm = t_vm_bare(profile, nr_vcpus);
    t_expose_defaults(vm);
    return vm;
}

sdei_vm *t_vm_cfg(const sdei_config *cfg)
{
    sdei_vm *vm = NULL;
    sdei_err err = sdei_vm_new(cfg, &vm);
    ck_assert_msg(err == SDEI_OK, "sdei_vm_new: %d (%s)", err, sdei_strerror(err));
    t_expose_defaults(vm);
    return vm;
}

sdei_vm *t_vm_quirks(uint64_t quirks, uint32_t nr_vcpus)
{
    sdei_config cfg = sdei_config_default(nr_vcpus);
    cfg.quirks_override = 1;
    cfg.quirks = quirks;
    return t_vm_cfg(&cfg);
}

/* x0 = fid, x1..x5 = a[0..4]; the hypercall must be taken (SDEI_OK). */
static int64_t call_fid(sdei_vm *vm, uint32_t vcpu, uint64_t fid, const uint64_t a[5],
                        sdei_call_info *info)
{
    sdei_regs *r = sdei_vcpu_regs(vm, vcpu);
    ck_assert_ptr_nonnull(r);
    r->x[0] = fid;
    memcpy(&r->x[1], a, 5 * sizeof(a[0]));
    ck_assert_int_eq(sdei_hypercall(vm, vcpu, info), SDEI_OK);
    return (int64_t)r->x[0];
}

int64_t t_call(sdei_vm *vm, uint32_t vcpu, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
               uint64_t a4, uint64_t a5)
{
    const uint64_t a[5] = {a1, a2, a3, a4, a5};
    return call_fid(vm, vcpu, fid, a, NULL);
}

int64_t t_callid(sdei_vm *vm, uint32_t vcpu, sdei_call_id id, uint64_t a1, uint64_t a2, uint64_t a3,
                 uint64_t a4, uint64_t a5)
{
    return t_call(vm, vcpu, sdei_call_fid(vm, id), a1, a2, a3, a4, a5);
}

int64_t t_callinfo(sdei_vm *vm, uint32_t vcpu, sdei_call_id id, uint64_t a1, uint64_t a2,
                   uint64_t a3, uint64_t a4, uint64_t a5, sdei_call_info *info)
{
    const uint64_t a[5] = {a1, a2, a3, a4, a5};
    return call_fid(vm, vcpu, sdei_call_fid(vm, id), a, info);
}

void t_register_enable(sdei_vm *vm, uint32_t vcpu, uint64_t num, uint64_t ep, uint64_t arg)
{
    int64_t res = t_callid(vm, vcpu, SDEI_CALL_EVENT_REGISTER, num, ep, arg, 0, 0);
    ck_assert_msg(res == SDEI_SUCCESS, "REGISTER(0x%" PRIx64 ") on vCPU %u: %" PRId64, num, vcpu,
                  res);
    res = t_callid(vm, vcpu, SDEI_CALL_EVENT_ENABLE, num, 0, 0, 0, 0);
    ck_assert_msg(res == SDEI_SUCCESS, "ENABLE(0x%" PRIx64 ") on vCPU %u: %" PRId64, num, vcpu,
                  res);
}

void t_unmask(sdei_vm *vm, uint32_t vcpu)
{
    ck_assert_int_eq(t_callid(vm, vcpu, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0), SDEI_SUCCESS);
}

sdei_event_state t_state(const sdei_vm *vm, uint64_t num, uint32_t vcpu)
{
    sdei_event_state st = SDEI_STATE_COUNT;
    ck_assert_int_eq(sdei_event_state_of(vm, num, vcpu, &st), SDEI_OK);
    return st;
}

int64_t t_status(sdei_vm *vm, uint32_t vcpu, uint64_t num)
{
    return t_callid(vm, vcpu, SDEI_CALL_EVENT_STATUS, num, 0, 0, 0, 0);
}

sdei_trigger_result t_trigger(sdei_vm *vm, uint64_t num, uint32_t vcpu)
{
    sdei_trigger_result res = (sdei_trigger_result)-1;
    ck_assert_int_eq(sdei_event_trigger(vm, num, vcpu, &res), SDEI_OK);
    ck_assert(res == SDEI_TRIGGER_PENDING || res == SDEI_TRIGGER_DROPPED);
    return res;
}

sdei_delivery t_deliver(sdei_vm *vm, uint32_t vcpu)
{
    sdei_delivery d;
    memset(&d, 0xEE, sizeof(d));
    ck_assert_int_eq(sdei_vcpu_deliver(vm, vcpu, &d), SDEI_OK);
    return d;
}

void t_expect_delivery(sdei_vm *vm, uint32_t vcpu, uint64_t num)
{
    sdei_delivery d = t_deliver(vm, vcpu);
    ck_assert_msg(d.delivered == 1 && d.num == num,
                  "vCPU %u: expected delivery of 0x%" PRIx64 ", got delivered=%u num=0x%" PRIx64,
                  vcpu, num, d.delivered, d.num);
}

void t_expect_no_delivery(sdei_vm *vm, uint32_t vcpu)
{
    sdei_delivery d = t_deliver(vm, vcpu);
    ck_assert_msg(d.delivered == 0, "vCPU %u: unexpected delivery of 0x%" PRIx64, vcpu, d.num);
}

uint32_t t_pending(const sdei_vm *vm, uint64_t num, uint32_t vcpu)
{
    uint32_t n = UINT32_MAX;
    ck_assert_int_eq(sdei_event_pending_count(vm, num, vcpu, &n), SDEI_OK);
    return n;
}

sdei_call_info t_complete(sdei_vm *vm, uint32_t vcpu, uint64_t status)
{
    sdei_call_info info;
    memset(&info, 0, sizeof(info));
    (void)t_callinfo(vm, vcpu, SDEI_CALL_EVENT_COMPLETE, status, 0, 0, 0, 0, &info);
    return info;
}

void t_set_context(sdei_vm *vm, uint32_t vcpu, uint64_t base, uint64_t pstate)
{
    sdei_regs *r = sdei_vcpu_regs(vm, vcpu);
    ck_assert_ptr_nonnull(r);
    for (uint32_t i = 0; i < 31; i++) {
        r->x[i] = base + i;
    }
    r->sp = base + 0x100;
    r->pc = base + 0x200;
    r->pstate = pstate;
    r->elr_el1 = base + 0x300;
    r->spsr_el1 = base + 0x400;
}

sdei_regs t_regs(const sdei_vm *vm, uint32_t vcpu)
{
    sdei_regs r;
    ck_assert_int_eq(sdei_vcpu_get_regs(vm, vcpu, &r), SDEI_OK);
    return r;
}

uint64_t t_bind(sdei_vm *vm, uint32_t vcpu, uint64_t intid)
{
    int64_t num = t_callid(vm, vcpu, SDEI_CALL_INTERRUPT_BIND, intid, 0, 0, 0, 0);
    ck_assert_msg(num >= 0, "INTERRUPT_BIND(%" PRIu64 "): %" PRId64, intid, num);
    return (uint64_t)num;
}

void t_make_state(sdei_vm *vm, uint32_t vcpu, uint64_t num, sdei_event_state state)
{
    if (state == SDEI_STATE_UNREGISTERED) {
        return;
    }
    int64_t res = t_callid(vm, vcpu, SDEI_CALL_EVENT_REGISTER, num, T_EP, T_ARG, 0, 0);
    ck_assert_msg(res == SDEI_SUCCESS, "make_state: REGISTER(0x%" PRIx64 "): %" PRId64, num, res);
    if (state == SDEI_STATE_REGISTERED) {
        return;
    }
    res = t_callid(vm, vcpu, SDEI_CALL_EVENT_ENABLE, num, 0, 0, 0, 0);
    ck_assert_msg(res == SDEI_SUCCESS, "make_state: ENABLE(0x%" PRIx64 "): %" PRId64, num, res);
    if (state == SDEI_STATE_ENABLED) {
        return;
    }
    ck_assert_int_eq(t_trigger(vm, num, vcpu), SDEI_TRIGGER_PENDING);
    t_set_context(vm, vcpu, T_CTX_BASE, T_CTX_PSTATE);
    t_expect_delivery(vm, vcpu, num);
    if (state == SDEI_STATE_RUNNING_DISABLED) {
        res = t_callid(vm, vcpu, SDEI_CALL_EVENT_DISABLE, num, 0, 0, 0, 0);
        ck_assert_msg(res == SDEI_SUCCESS, "make_state: DISABLE: %" PRId64, res);
    } else if (state == SDEI_STATE_UNREGISTER_PENDING) {
        res = t_callid(vm, vcpu, SDEI_CALL_EVENT_UNREGISTER, num, 0, 0, 0, 0);
        ck_assert_msg(res == SDEI_PENDING, "make_state: UNREGISTER: %" PRId64, res);
    }
    sdei_event_state got = t_state(vm, num, vcpu);
    ck_assert_msg(got == state, "make_state(0x%" PRIx64 "): wanted %s, got %s", num,
                  sdei_state_name(state), sdei_state_name(got));
}

void t_check_vm(const sdei_vm *vm)
{
    const char *msg = sdei_vm_check(vm);
    ck_assert_msg(msg == NULL, "sdei_vm_check: %s", msg ? msg : "");
}

size_t t_first_byte_not(const uint8_t *buf, size_t len, uint8_t val)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != val) {
            return i;
        }
    }
    return len;
}

int t_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int t_run_tests(const char *name, const TTest *const *tests, size_t n)
{
    Suite *s = suite_create(name);
    TCase *tc = tcase_create(name);
    for (size_t i = 0; i < n; i++) {
        tcase_add_test(tc, tests[i]);
    }
    suite_add_tcase(s, tc);
    return t_run_suite(s);
}
