/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_trace_errors.c - what the replayer says about bad traces
 * (docs/trace-format.md): every line kind and every field, given a bad value,
 * is bad input (exit 3) with "file:line: expected ..."; a trace whose results
 * or checks differ from the model is a divergence (exit 1) naming the line,
 * the action, expected and actual values and, for blobs, each differing field;
 * an unreadable file is I/O (exit 4). Never a crash.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_helpers.h"
#include "replay.h"
#include "sdei/sdei_blob.h"
#include "testlib.h"
#include "trace.h"

#define H "sdei-trace 1 profile=spec vcpus=2\n"
/* 25 words: one more than a line may hold. */
#define W25 "a a a a a a a a a a a a a a a a a a a a a a a a a"

/* Replays text through the API; the diagnostics in msg. */
static int replay_text(const char *name, const char *text, char *path, size_t pathlen, char *msg,
                       size_t n)
{
    sim_replay_stats st;
    cli_path(path, pathlen, name);
    cli_write_text(path, text);
    FILE *err = tmpfile();
    ck_assert_ptr_nonnull(err);
    int rc = sim_replay_file(path, err, 1, &st);
    rewind(err);
    size_t got = fread(msg, 1, n - 1, err);
    msg[got] = '\0';
    fclose(err);
    return rc;
}

/* ---------------------------------------------------------------------------
 * Bad input: one table row per line kind x field. `line` is where the report
 * points, `msg` the start of what it says after "file:line: ".
 * ------------------------------------------------------------------------- */
typedef struct bad_case {
    const char *text;
    unsigned line;
    const char *msg;
} bad_case;

static const bad_case bad_cases[] = {
    /* no header / the header line */
    {"", 0, "expected the header 'sdei-trace 1 profile=NAME vcpus=N' (the file has none)"},
    {"# a comment\n\n", 2, "expected the header 'sdei-trace 1 profile=NAME vcpus=N' (the file"},
    {"> hvc 0 VERSION\n", 1, "expected the header 'sdei-trace 1 profile=NAME vcpus=N'"},
    {"sdei-trace\n", 1, "expected the header 'sdei-trace 1 profile=NAME vcpus=N'"},
    {"sdei-trace 1 " W25 "\n", 1, "expected the header 'sdei-trace 1"},
    {"sdei-trace 2 profile=spec vcpus=1\n", 1, "expected trace format version 1, got '2'"},
    {"sdei-trace one profile=spec vcpus=1\n", 1, "expected trace format version 1, got 'one'"},
    {"sdei-trace 1 profile=tf-a vcpus=1\n", 1,
     "expected profile=spec, kvm-v5, absent, tfa, kvm-v7 or kvm-v6, got 'tf-a'"},
    {"sdei-trace 1 profile=spec vcpus=0\n", 1, "expected vcpus=1..512, got '0'"},
    {"sdei-trace 1 profile=spec vcpus=513\n", 1, "expected vcpus=1..512, got '513'"},
    {"sdei-trace 1 profile=spec vcpus=two\n", 1, "expected vcpus=1..512, got 'two'"},
    {"sdei-trace 1 profile=spec vcpus=1 seed=0xzz\n", 1, "expected seed=NUMBER, got '0xzz'"},
    {"sdei-trace 1 profile=spec vcpus=1 span=2\n", 1, "expected span=0 or span=1"},
    {"sdei-trace 1 profile=spec vcpus=1 max-events=0\n", 1, "expected max-events=1..128"},
    {"sdei-trace 1 profile=spec vcpus=1 max-events=129\n", 1, "expected max-events=1..128"},
    {"sdei-trace 1 profile=spec vcpus=1 bind=2\n", 1, "expected bind=PRIVATE/SHARED slot counts"},
    {"sdei-trace 1 profile=spec vcpus=1 bind=65536/1\n", 1,
     "expected bind=PRIVATE/SHARED slot counts (0..65535)"},
    {"sdei-trace 1 profile=spec vcpus=1 bind=1/x\n", 1,
     "expected bind=PRIVATE/SHARED slot counts (0..65535)"},
    {"sdei-trace 1 profile=spec vcpus=1 quirks=resume_ignored\n", 1,
     "expected quirks=+name,-name,..."},
    {"sdei-trace 1 profile=spec vcpus=1 quirks=+resume_ignored,+\n", 1,
     "expected quirks=+name,-name,..."},
    {"sdei-trace 1 profile=spec vcpus=1 quirks=+"
     "a_quirk_name_that_is_much_longer_than_any_quirk_the_model_will_ever_have\n",
     1, "quirk name too long"},
    {"sdei-trace 1 profile=spec vcpus=1 quirks=-no_such_quirk\n", 1,
     "expected a known quirk name, got 'no_such_quirk'"},
    {"sdei-trace 1 profile=spec vcpus=1 colour=red\n", 1,
     "expected a header option (profile= vcpus= seed= bind= span= max-events= quirks= mpidr=), got "
     "'colour=red'"},
    {"sdei-trace 1 profile=spec vcpus=2 mpidr=0x80000000\n", 1,
     "expected one mpidr= number per vCPU (2), got 1"},
    {"sdei-trace 1 profile=spec vcpus=2 mpidr=0x1,zz\n", 1,
     "expected mpidr=MPIDR,MPIDR,... (at most 512 numbers)"},
    {"sdei-trace 1 profile=spec vcpus=2 mpidr=0x1,0x1\n", 1,
     "the model refuses this configuration"},
    {"sdei-trace 1 vcpus=1\n", 1,
     "expected profile=spec, kvm-v5, absent, tfa, kvm-v7 or kvm-v6 in the header"},
    {"sdei-trace 1 profile=spec\n", 1, "expected vcpus=N in the header"},
    {"sdei-trace 1 profile=spec vcpus=2 bind=65535/65535\n", 1,
     "the model refuses this configuration: "},
    /* a line of no known kind */
    {H "! what\n", 2,
     "expected a line starting with '>' (action), '<' (result), '=' (check) or '#' (comment)"},
    /* actions: the line */
    {H ">hvc 0 VERSION\n", 2, "expected an action line '> ...'"},
    {H "> " W25 "\n", 2, "expected at most 24 words on an action line"},
    {H ">  # nothing\n", 2, "expected an action after '>'"},
    {H "> jump 0\n", 2,
     "expected an action (hvc setreg deliver deliver-any trigger irq vmm migrate expose power "
     "vcpu_reset), got 'jump'"},
    /* hvc */
    {H "> hvc 0\n", 2, "expected 'hvc VCPU CALL [X1 .. X5]'"},
    {H "> hvc 0 VERSION 1 2 3 4 5 6\n", 2, "expected 'hvc VCPU CALL [X1 .. X5]'"},
    {H "> hvc 512 VERSION\n", 2, "expected a vCPU index 0..511, got '512'"},
    {H "> hvc x VERSION\n", 2, "expected a vCPU index 0..511, got 'x'"},
    {H "> hvc 0 EVENT_FROB\n", 2,
     "expected a call name (EVENT_REGISTER, ...) or a function ID, got 'EVENT_FROB'"},
    {H "> hvc 0 REGISTER 0x400001 zz\n", 2, "expected a number for x2, got 'zz'"},
    {H "> hvc 0 SIGNAL 0 0 0 0 PENDNG\n", 2, "expected a number for x5, got 'PENDNG'"},
    {H "> hvc 2 VERSION\n", 2, "vCPU 2 does not exist (the VM has 2)"},
    /* setreg */
    {H "> setreg 0\n", 2, "expected 'setreg VCPU NAME=VALUE ...'"},
    {H "> setreg 600 x0=1\n", 2, "expected a vCPU index 0..511, got '600'"},
    {H "> setreg 0 x0\n", 2, "expected NAME=VALUE (x0..x30 sp pc pstate elr spsr), got 'x0'"},
    {H "> setreg 0 x31=1\n", 2,
     "expected a register name (x0..x30 sp pc pstate elr spsr), got 'x31=1'"},
    {H "> setreg 0 pc=0x1g\n", 2, "expected a number after 'pc=', got '0x1g'"},
    {H "> setreg 0 x0=1 x1=1 x2=1 x3=1 x4=1 x5=1 x6=1 x7=1 x8=1\n", 2,
     "expected at most 8 registers on one line"},
    {H "> setreg 3 x0=1\n", 2, "vCPU 3 does not exist (the VM has 2)"},
    /* deliver */
    {H "> deliver\n", 2, "expected 'deliver VCPU'"},
    {H "> deliver 0 1\n", 2, "expected 'deliver VCPU'"},
    {H "> deliver -1\n", 2, "expected a vCPU index 0..511, got '-1'"},
    {H "> deliver 5\n", 2, "vCPU 5 does not exist (the VM has 2)"},
    /* trigger / irq */
    {H "> trigger\n", 2, "expected 'trigger NUM [VCPU]'"},
    {H "> trigger 1 0 0\n", 2, "expected 'trigger NUM [VCPU]'"},
    {H "> trigger zz 0\n", 2, "expected an event number, got 'zz'"},
    {H "> trigger 0x400001 vcpu0\n", 2, "expected a vCPU index 0..511, got 'vcpu0'"},
    {H "> irq\n", 2, "expected 'irq INTID [VCPU]'"},
    {H "> irq 0x100000000 0\n", 2, "expected an interrupt number, got '0x100000000'"},
    {H "> irq 20 9\n", 2, "vCPU 9 does not exist (the VM has 2)"},
    /* migrate */
    {H "> migrate now\n", 2, "expected 'migrate' alone"},
    /* expose */
    {H "> expose 1\n", 2, "expected 'expose NUM private|shared normal|critical [signaled=N]'"},
    {H "> expose 1 private normal signaled=1 x\n", 2,
     "expected 'expose NUM private|shared normal|critical [signaled=N]'"},
    {H "> expose ev private normal\n", 2, "expected an event number, got 'ev'"},
    {H "> expose 1 public normal\n", 2, "expected 'private' or 'shared', got 'public'"},
    {H "> expose 1 shared urgent\n", 2, "expected 'normal' or 'critical', got 'urgent'"},
    {H "> expose 1 private normal signaled=256\n", 2,
     "expected signaled=0..255, got 'signaled=256'"},
    {H "> expose 1 private normal signalled=1\n", 2, "expected signaled=0..255, got 'signalled=1'"},
    /* vmm */
    {H "> vmm vm\n", 2, "expected 'vmm vm|VCPU CMD [count=N] [num=N] [data=HEX]'"},
    {H "> vmm cpu0 GET_VCPU_STATE\n", 2, "expected a vCPU index 0..511, got 'cpu0'"},
    {H "> vmm vm GET_EVERYTHING\n", 2,
     "expected a VMM command name (GET_VERSION, ...) or number, got 'GET_EVERYTHING'"},
    {H "> vmm vm GET_EXPOSED_EVENT count=all\n", 2, "expected count=NUMBER"},
    {H "> vmm 0 INJECT_EVENT num=ev\n", 2, "expected num=NUMBER"},
    {H "> vmm vm SET_EXPOSED_EVENT data=abc\n", 2,
     "expected data=HEX (an even number of hex digits, at most 1076224 bytes)"},
    {H "> vmm vm GET_VERSION flags=1\n", 2, "expected count=, num= or data=, got 'flags=1'"},
    {H "> vmm 7 GET_VCPU_STATE\n", 2, "vCPU 7 does not exist (the VM has 2)"},
    /* results: the line */
    {H "> hvc 0 VERSION\n<ret\n", 3, "expected a result line '< ...'"},
    {H "> hvc 0 VERSION\n< " W25 "\n", 3, "expected at most 24 words on a result line"},
    {H "> hvc 0 VERSION\n<  \n", 3, "expected a result kind after '<'"},
    {H "> hvc 0 VERSION\n< returned\n", 3,
     "expected a result kind (ret completed noresult notsdei entered none pending dropped vmm "
     "ok err power), got 'returned'"},
    {H "< ok\n", 2, "expected an action line '> ...' before this result line"},
    {H "> hvc 0 VERSION\n< ret\n< ret\n", 4,
     "expected an action line '> ...' before this result line"},
    /* results: fields */
    {H "> deliver 0\n< entered zz\n", 3, "expected an event number after 'entered', got 'zz'"},
    {H "> hvc 0 COMPLETE\n< completed 0x4000zz\n", 3,
     "expected an event number after 'completed', got '0x4000zz'"},
    {H "> trigger 7 0\n< err E\n", 3, "expected an error number after 'err'"},
    {H "> hvc 0 VERSION\n< ret x0\n", 3, "expected KEY=VALUE, got 'x0'"},
    {H "> hvc 0 VERSION\n< ret x4=1\n", 3,
     "expected a result field (x0..x3 pc pstate elr spsr num prio preempted ret count data err "
     "on completed), got 'x4'"},
    {H "> hvc 0 VERSION\n< ret x0=BUSY\n", 3,
     "expected a number or result name for 'x0', got 'BUSY'"},
    {H "> hvc 0 VERSION\n< ret pc=-0x4\n", 3,
     "expected a number or result name for 'pc', got '-0x4'"},
    {H "> deliver 0\n< entered 0x400001 prio=high\n", 3, "expected prio=normal or prio=critical"},
    {H "> vmm vm GET_VERSION\n< vmm ret=-EBUSY\n", 3,
     "expected ret=0 or ret=-ERRNO (-EINVAL, ...), got '-EBUSY'"},
    {H "> vmm vm GET_VERSION\n< vmm ret=2147483648\n", 3,
     "expected ret=0 or ret=-ERRNO (-EINVAL, ...), got '2147483648'"},
    {H "> vmm vm GET_VERSION\n< vmm ret=0 count=0x100000000\n", 3, "expected count=0..4294967295"},
    {H "> vmm vm GET_EXPOSED_EVENT\n< vmm ret=0 data=0\n", 3,
     "expected data=HEX (even number of hex digits, at most 1076224 bytes)"},
    /* checks: the line */
    {H "=state 0 0 U\n", 2, "expected a check line '= ...'"},
    {H "= " W25 "\n", 2, "expected at most 24 words on a check line"},
    {H "= \n", 2, "expected a check (state pending vcpu regs blob fwreg) after '='"},
    {H "= queue 0\n", 2, "expected a check (state pending vcpu regs blob fwreg), got 'queue'"},
    /* state */
    {H "= state 0 0\n", 2, "expected 'state NUM VCPU U|D|E|RE|RD|UP'"},
    {H "= state ev 0 U\n", 2, "expected an event number, got 'ev'"},
    {H "= state 0 v0 U\n", 2, "expected a vCPU index 0..511, got 'v0'"},
    {H "= state 0 0 RUNNING\n", 2, "expected a state U D E RE RD UP, got 'RUNNING'"},
    {H "= state 0x400009 0 U\n", 2, "event 0x400009 is not exposed"},
    {H "= state 0 4 U\n", 2, "vCPU 4 does not exist (the VM has 2)"},
    /* pending */
    {H "= pending 0 0\n", 2, "expected 'pending NUM VCPU COUNT'"},
    {H "= pending x 0 0\n", 2, "expected an event number, got 'x'"},
    {H "= pending 0 512 0\n", 2, "expected a vCPU index 0..511, got '512'"},
    {H "= pending 0 0 many\n", 2, "expected a pending count, got 'many'"},
    {H "= pending 0x400009 0 0\n", 2, "event 0x400009 is not exposed"},
    /* vcpu */
    {H "= vcpu 0\n", 2,
     "expected 'vcpu VCPU [masked=0|1] [normal=NUM|none] [critical=NUM|none] [queued=N] "
     "[power=on|off|suspended|frozen]'"},
    {H "= vcpu me masked=1\n", 2, "expected a vCPU index 0..511, got 'me'"},
    {H "= vcpu 0 running=1\n", 2,
     "expected masked= normal= critical= queued= or power=, got 'running=1'"},
    {H "= vcpu 0 masked=2\n", 2, "expected a value for 'masked=2'"},
    {H "= vcpu 0 queued=0x100000000\n", 2, "expected a value for 'queued=0x100000000'"},
    {H "= vcpu 0 normal=some\n", 2, "expected a value for 'normal=some'"},
    {H "= vcpu 2 masked=1\n", 2, "vCPU 2 does not exist (the VM has 2)"},
    /* regs */
    {H "= regs 0\n", 2, "expected 'regs VCPU NAME=VALUE ...'"},
    {H "= regs x pc=0\n", 2, "expected a vCPU index 0..511, got 'x'"},
    {H "= regs 0 lr=0\n", 2,
     "expected a register name (x0..x30 sp pc pstate elr spsr), got 'lr=0'"},
    {H "= regs 0 sp=\n", 2, "expected a number after 'sp=', got ''"},
    /* blob */
    {H "= blob\n", 2, "expected 'blob exposed|registered|vcpu_event|vcpu_state ...'"},
    {H "= blob hidden 0 00\n", 2, "expected 'blob exposed|registered|vcpu_event|vcpu_state ...'"},
    {H "= blob exposed 00\n", 2, "expected 'blob exposed INDEX HEX'"},
    {H "= blob registered 00\n", 2, "expected 'blob registered NUM HEX'"},
    {H "= blob vcpu_event 0 00\n", 2, "expected 'blob vcpu_event VCPU NUM HEX'"},
    {H "= blob vcpu_state 0 0 00\n", 2, "expected 'blob vcpu_state VCPU HEX'"},
    {H "= blob exposed first 00\n", 2, "expected an entry index, got 'first'"},
    {H "= blob registered ev 00\n", 2, "expected an event number, got 'ev'"},
    {H "= blob vcpu_event v 0 00\n", 2, "expected a vCPU index 0..511, got 'v'"},
    {H "= blob vcpu_event 0 ev 00\n", 2, "expected an event number, got 'ev'"},
    {H "= fwreg 0 PE_STATE\n", 2, "expected 'fwreg VCPU NAME HEX'"},
    {H "= fwreg 0 0x1234 00\n", 2,
     "expected a firmware register name (EVENT_HANDLER_0 ... PE_STATE) or id, got '0x1234'"},
    {H "= fwreg 0 EVENT_CONTEXT zz\n", 2, "expected at most 256 bytes as HEX for EVENT_CONTEXT"},
    {H "= fwreg 2 PE_STATE 01\n", 2, "vCPU 2 does not exist (the VM has 2)"},
    {H "= blob vcpu_state 0 0x00\n", 2, "expected the blob as HEX (even number of hex digits)"},
    {H "= blob vcpu_state 0 00_11\n", 2, "a vcpu_state blob is 344 bytes, the line has 2"},
    {H "= blob vcpu_state 3 00\n", 2, "vCPU 3 does not exist (the VM has 2)"},
    /* names: malformed, used before a result binds them, holding no vCPU */
    {H "> hvc 0 ENABLE $ev\n", 2,
     "expected a captured name: $ev is not bound yet (a result binds it: '< x0=$ev')"},
    {H "> hvc 0 VERSION\n< x0>=$min\n", 3,
     "expected 'x0=$min' to capture $min (a comparison or mask needs a bound name)"},
    {H "> hvc 0 VERSION\n< x0=$1st\n", 3,
     "expected a name $[A-Za-z_][A-Za-z0-9_]* of at most 31 characters, got '$1st'"},
    {H "> hvc $ 0 VERSION\n", 2, "expected a name $[A-Za-z_][A-Za-z0-9_]* of at most 31"},
    {H "= state $ev 0 U\n", 2, "expected a captured name: $ev is not bound yet"},
    {H "= regs 0 x1=$a\n", 2, "expected a captured name: $a is not bound yet"},
    {H "> hvc 0 VERSION\n< x0=$v\n> deliver $v\n", 4,
     "expected a vCPU index 0..511 in $v, it holds 0x1000100000000"},
    {H "> hvc 0 VERSION\n< x0=$a x1=$b x2=$c x3=$d pc=$e pstate=$f elr=$g spsr=$h num=$i\n", 3,
     "expected at most 8 names or comparisons on one line"},
    /* comparisons and masks */
    {H "> hvc 0 VERSION\n< x0&zz=1\n", 3, "expected a mask number after 'x0&', got 'zz'"},
    {H "> hvc 0 VERSION\n< ret x0=>1\n", 3, "expected a number or result name for 'x0', got '>1'"},
    {H "> deliver 0\n< entered 0x400001 prio>=normal\n", 3,
     "expected 'prio=' (no other comparison, no mask)"},
    {H "> vmm vm GET_VERSION\n< vmm ret!=0\n", 3, "expected 'ret=' (no other comparison, no mask)"},
    {H "> deliver 0\n< entered 0x400001 preempted=2\n", 3, "expected preempted=0 or preempted=1"},
    {H "> deliver 0\n< entered 0x400001 on=512\n", 3, "expected on=VCPU (0..511)"},
    {H "> setreg 0 x0>=1\n", 2, "expected NAME=VALUE (x0..x30 sp pc pstate elr spsr), got 'x0>=1'"},
    {H "= regs 0 pc&=1\n", 2, "expected a mask number after 'pc&', got ''"},
    {H "= regs 0 pc\n", 2,
     "expected NAME=VALUE (x0..x30 sp pc pstate elr spsr) or NAME[&MASK]OP VALUE, got 'pc'"},
    /* partial blob compares */
    {H "> vmm vm GET_EXPOSED_EVENT\n< vmm ret=0 data[8:4]=00\n", 3,
     "expected data[A:B]=HEX with byte offsets A < B, got '[8:4]'"},
    {H "> vmm vm GET_EXPOSED_EVENT\n< vmm ret=0 data[8]=00\n", 3,
     "expected data[A:B]=HEX with byte offsets A < B, got '[8]'"},
    {H "> vmm vm GET_EXPOSED_EVENT\n< vmm ret=0 data[0:2]=00\n", 3,
     "expected 2 bytes of HEX for data[0:2], got 1"},
    {H "> vmm vm GET_EXPOSED_EVENT\n< vmm ret=0 data!=00\n", 3,
     "expected data=HEX or data[A:B]=HEX (no other comparison)"},
    {H "> hvc 0 VERSION\n< x0[0:1]=0\n", 3, "expected a byte range only on data (data[A:B]=HEX)"},
    {H "> hvc 0 VERSION\n< x0>=1 x0<5\n", 3,
     "expected each compared field once on a line, got 'x0' again"},
    {H "> vmm vm GET_EXPOSED_EVENT\n< vmm ret=0 data[0:1]=00 data[2:3]=00\n", 3,
     "expected each compared field once on a line, got 'data' again"},
    /* deliver-any */
    {H "> deliver-any\n", 2, "expected 'deliver-any VCPU|A-B,...' (one word, comma-separated)"},
    {H "> deliver-any 0,x\n", 2, "expected a vCPU 0..511 or a range A-B (A <= B), got 'x'"},
    {H "> deliver-any 3-1\n", 2, "expected a vCPU 0..511 or a range A-B (A <= B), got '3-1'"},
    {H "> deliver-any 0,,1\n", 2, "expected a vCPU 0..511 or a range A-B (A <= B), got ''"},
    {H "> deliver-any 0,1,0,1,0,1,0,1,0\n", 2,
     "expected at most 8 vCPUs or ranges after deliver-any"},
    {H "> deliver-any 0-5\n", 2, "vCPU 2 does not exist (the VM has 2)"},
    /* power, vcpu_reset (docs/model.md "Power") */
    {H "> power 0\n", 2,
     "expected 'power VCPU cpu_off|cpu_on|suspend|resume|cpu_freeze|query|system_off|"
     "system_reset'"},
    {H "> power 0 reboot\n", 2,
     "expected a power action (cpu_off cpu_on suspend resume cpu_freeze query system_off "
     "system_reset), got 'reboot'"},
    {H "> power 2 cpu_off\n", 2, "vCPU 2 does not exist (the VM has 2)"},
    {H "> vcpu_reset\n", 2, "expected 'vcpu_reset VCPU'"},
    {H "> vcpu_reset 9\n", 2, "vCPU 9 does not exist (the VM has 2)"},
    {H "> power 0 cpu_off\n< power off\n", 3,
     "expected a power result (done already_on not_running not_suspended) after 'power', got "
     "'off'"},
    {H "> power 0 cpu_off\n< power done completed=3\n", 3, "expected completed=0..2"},
    {H "> power 0 cpu_off\n= vcpu 0 power=asleep\n", 3,
     "expected power=on|off|suspended|frozen, got 'asleep'"},
};

START_TEST(test_every_bad_field_is_bad_input_naming_file_line_and_what_was_expected)
{
    const bad_case *c = &bad_cases[_i];
    char path[512], msg[4096], want[1024];
    char name[32];
    snprintf(name, sizeof(name), "bad%03d.trace", _i);
    int rc = replay_text(name, c->text, path, sizeof(path), msg, sizeof(msg));
    snprintf(want, sizeof(want), "%s:%u: %s", path, c->line, c->msg);
    ck_assert_msg(rc == SIM_EXIT_BAD_INPUT && strncmp(msg, want, strlen(want)) == 0,
                  "case %d: trace\n%s\nexit %d (want 3), said\n%s\nwant it to start with\n%s", _i,
                  c->text, rc, msg, want);
    /* One report, one line. */
    ck_assert_msg(strchr(msg, '\n') == msg + strlen(msg) - 1, "case %d: '%s'", _i, msg);
}
END_TEST

START_TEST(test_the_binary_reports_bad_input_with_exit_3)
{
    /* Every line kind through `sdei-sim replay`: same text on stderr, exit 3. */
    static const int rows[] = {5, 27, 33, 45, 79, 92, 100};
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const bad_case *c = &bad_cases[rows[i]];
        char path[512], args[2048], want[1024];
        char name[32];
        snprintf(name, sizeof(name), "cli%03d.trace", rows[i]);
        cli_path(path, sizeof(path), name);
        cli_write_text(path, c->text);
        snprintf(args, sizeof(args), "replay '%s'", path);
        snprintf(want, sizeof(want), "%s:%u: %s", path, c->line, c->msg);
        cli_expect(args, SIM_EXIT_BAD_INPUT, 0, want);
    }
}
END_TEST

START_TEST(test_lines_longer_than_the_limit_are_bad_input_even_without_a_newline)
{
    /* A 4.5 MiB line overflows the reader's largest buffer; it is skipped to
     * its end and reported, with and without a final newline. */
    size_t n = 4u * 1024u * 1024u + 512u * 1024u;
    char *text = malloc(n + 128);
    char path[512], msg[1024], want[600];
    ck_assert_ptr_nonnull(text);
    for (int nl = 0; nl < 2; nl++) {
        strcpy(text, H "# ");
        size_t k = strlen(text);
        memset(text + k, 'x', n);
        strcpy(text + k + n, nl ? "\n> hvc 0 VERSION\n" : "");
        int rc = replay_text("long.trace", text, path, sizeof(path), msg, sizeof(msg));
        snprintf(want, sizeof(want), "%s:2: expected a line of at most %u bytes", path,
                 (unsigned)SIM_TRACE_MAX_LINE);
        ck_assert_int_eq(rc, SIM_EXIT_BAD_INPUT);
        ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "%s", msg);
    }
    /* Just over the limit and at the very end of the file. */
    strcpy(text, H "# ");
    size_t k = strlen(text);
    memset(text + k, 'x', SIM_TRACE_MAX_LINE);
    text[k + SIM_TRACE_MAX_LINE] = '\0';
    ck_assert_int_eq(replay_text("long2.trace", text, path, sizeof(path), msg, sizeof(msg)),
                     SIM_EXIT_BAD_INPUT);
    ck_assert_ptr_nonnull(strstr(msg, ":2: expected a line of at most"));
    free(text);
}
END_TEST

START_TEST(test_unreadable_input_is_an_io_error)
{
    char msg[1024], want[600];
    sim_replay_stats st;
    FILE *err = tmpfile();
    ck_assert_ptr_nonnull(err);
    /* A directory opens but cannot be read. */
    ck_assert_int_eq(sim_replay_file(cli_tmpdir(), err, 1, &st), SIM_EXIT_IO);
    rewind(err);
    msg[fread(msg, 1, sizeof(msg) - 1, err)] = '\0';
    snprintf(want, sizeof(want), "%s:1: read error: ", cli_tmpdir());
    ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "%s", msg);
    fclose(err);
    cli_expect("replay /nonexistent/dir/x.trace", SIM_EXIT_IO, 0,
               "/nonexistent/dir/x.trace: cannot open: No such file or directory");
    char args[2048];
    snprintf(args, sizeof(args), "replay '%s'", cli_tmpdir());
    cli_expect(args, SIM_EXIT_IO, 0, "read error");
}
END_TEST

/* ---------------------------------------------------------------------------
 * Divergences: one per result kind and check kind. Each row: the trace, then
 * what the report must hold (the first needle is its first line).
 * ------------------------------------------------------------------------- */
#define EXPOSE_P "> expose 0x400001 private normal\n< ok\n"
#define EXPOSE_C "> expose 0x400002 private critical\n< ok\n"
#define REG_P "> hvc 0 REGISTER 0x400001 0x1000 0x2000\n> hvc 0 ENABLE 0x400001\n"
#define UNMASK "> hvc 0 PE_UNMASK\n"
#define RUN_P EXPOSE_P REG_P UNMASK "> trigger 0x400001 0\n"

typedef struct div_case {
    const char *text;
    const char *needle[4];
} div_case;

static const div_case div_cases[] = {
    /* ret: a field, and the kind */
    {H "> hvc 0 VERSION\n# the version\n< ret x0=0x1000100000001\n",
     {":4: divergence: the result of line 2 differs\n  action:   > hvc 0 VERSION\n"
      "  expected: < ret x0=0x1000100000001\n",
      "  x0: expected 0x1000100000001, actual 0x1000100000000\n", "state dump (profile spec"}},
    {H EXPOSE_P "> hvc 0 REGISTER 0x400001 0x1000 0x2000\n< ret x0=SUCCESS x1=1\n",
     {":5: divergence: the result of line 4 differs", "  x1: expected 0x1, actual 0x0\n"}},
    {H EXPOSE_P "> hvc 0 UNREGISTER 0x400001\n< x0=SUCCESS\n",
     {":5: divergence", "  x0: expected 0x0, actual DENIED (0xfffffffffffffffd)\n"}},
    {H "> hvc 0 VERSION\n< completed 0x400001\n",
     {":3: divergence", "  result: expected 'completed', actual < ret x0="}},
    /* notsdei, noresult */
    {H "> hvc 0 0x12345678\n< ret x0=0\n",
     {":3: divergence", "  result: expected 'ret', actual < notsdei x0="}},
    {H "> hvc 0 0x12345678\n< notsdei x0=0 pc=4\n",
     {":3: divergence", "  x0: expected 0x0, actual NOT_SUPPORTED (0xffffffffffffffff)\n",
      "  pc: expected 0x4, actual 0x0\n"}},
    {"sdei-trace 1 profile=kvm-v5 vcpus=1\n> hvc 0 COMPLETE\n< noresult x0=1\n",
     {":3: divergence", "  x0: expected 0x1, actual"}},
    {H "> hvc 0 COMPLETE\n< noresult\n", {":3: divergence", "  result: expected 'noresult'"}},
    /* entered, completed */
    {H RUN_P "> deliver 0\n< entered 0x400001 prio=critical preempted x2=1 elr=1 spsr=1\n",
     {":9: divergence: the result of line 8 differs", "  prio: expected 0x1, actual 0x0\n",
      "  x2: expected 0x1, actual 0x0\n", "  spsr: expected 0x1, actual"}},
    {H RUN_P "> deliver 0\n< none\n",
     {":9: divergence", "  result: expected 'none', actual < entered 0x400001 prio=normal"}},
    {H RUN_P "> deliver 1\n< entered 0x400001\n",
     {":9: divergence", "  result: expected 'entered', actual < none"}},
    {H RUN_P
     "> deliver 0\n< entered 0x400001\n> hvc 0 COMPLETE\n< completed 0x400002 prio=critical\n",
     {":11: divergence", "  num: expected 0x400002, actual 0x400001\n",
      "  prio: expected 0x1, actual 0x0\n"}},
    /* pending, dropped, err */
    {H EXPOSE_P "> trigger 0x400001 0\n< pending\n",
     {":5: divergence", "  result: expected 'pending', actual < dropped"}},
    {H RUN_P "< dropped\n", {":8: divergence", "  result: expected 'dropped', actual < pending"}},
    {H "> trigger 0x400009 0\n< err 1\n", {":3: divergence", "  err: expected 0x1, actual 0x"}},
    {H "> expose 0xffffffff shared normal\n< ok\n",
     {":3: divergence", "  result: expected 'ok', actual < err 11"}},
    /* vmm: ret, count, data */
    {H "> vmm vm GET_VERSION\n< vmm ret=-EINVAL\n",
     {":3: divergence", "  ret: expected -EINVAL (-22), actual 0 (0)\n"}},
    {H "> vmm vm SET_EXPOSED_EVENT data=00\n< ret=7\n",
     {":3: divergence", "  ret: expected ? (7), actual 0 (0)\n"}},
    {H EXPOSE_P "> vmm vm GET_EXPOSED_EVENT_COUNT\n< vmm ret=0 count=2\n",
     {":5: divergence", "  count: expected 0x2, actual 0x5\n"}},
    {H EXPOSE_P "> vmm vm GET_EXPOSED_EVENT\n< vmm ret=0 data=00\n",
     {":5: divergence", "  data: expected 1 bytes, actual 120 bytes\n"}},
    {H "> vmm vm GET_VERSION\n< vmm data=00\n",
     {":3: divergence", "  data: expected 1 bytes, actual none\n"}},
    /* migrate that the model refuses (kvm-v5 stores REGISTER's x5 as
     * route_mode) where the trace expects it to work: the result differs, and
     * the report says why */
    {"sdei-trace 1 profile=kvm-v5 vcpus=1\n> expose 0x400003 shared normal\n"
     "> hvc 0 REGISTER 0x400003 0x1000 0x2000 0 0x80000005\n< x0=SUCCESS\n> migrate\n< ok\n",
     {":6: divergence: the result of line 5 differs",
      "  migration failed: sdei_vm_restore: ", "REPLAY: sdei-sim replay "}},
    /* ... and where no result line follows: a failed migration never passes
     * silently */
    {"sdei-trace 1 profile=kvm-v5 vcpus=1\n> expose 0x400003 shared normal\n"
     "> hvc 0 REGISTER 0x400003 0x1000 0x2000 0 0x80000005\n< x0=SUCCESS\n> migrate\n"
     "> hvc 0 VERSION\n",
     {":5: divergence: migration failed: sdei_vm_restore: ", "REPLAY: sdei-sim replay "}},
    {"sdei-trace 1 profile=kvm-v5 vcpus=1\n> expose 0x400003 shared normal\n"
     "> hvc 0 REGISTER 0x400003 0x1000 0x2000 0 0x80000005\n< x0=SUCCESS\n> migrate\n",
     {":5: divergence: migration failed: sdei_vm_restore: ", "REPLAY: sdei-sim replay "}},
    /* the dump names a running critical handler */
    {H EXPOSE_C "> hvc 0 REGISTER 0x400002 0x1000 0x2000\n> hvc 0 ENABLE 0x400002\n" UNMASK
                "> trigger 0x400002 0\n> deliver 0\n< entered 0x400002 prio=normal\n",
     {":9: divergence", "  prio: expected 0x0, actual 0x1\n",
      "  vcpu 0 (*): masked=0 normal=none critical=0x400002 queued=1 pc=0x1000"}},
    /* checks */
    {H EXPOSE_P "= state 0x400001 1 E\n",
     {":4: divergence: check failed: = state 0x400001 1 E\n",
      "  state of 0x400001 on vCPU 1: expected E, actual U\n"}},
    {H EXPOSE_P REG_P "> trigger 0x400001 0\n> trigger 0x400001 0\n= pending 0x400001 0 2\n",
     {":8: divergence: check failed", "  pending: expected 0x2, actual 0x1\n",
      "    events: 0x400001=E+1\n"}},
    {H RUN_P "> deliver 0\n= vcpu 0 masked=1 normal=none critical=0x400001 queued=3\n",
     {":9: divergence: check failed", "  masked: expected 0x1, actual 0x0\n",
      "  normal: expected 0xffffffff, actual 0x400001\n",
      "  critical: expected 0x400001, actual 0xffffffff\n"}},
    {H "> setreg 1 x30=7 sp=8 elr_el1=9 spsr_el1=10\n= regs 1 x30=7 sp=9 elr=9 spsr=11\n",
     {":3: divergence: check failed", "  sp: expected 0x9, actual 0x8\n",
      "  spsr: expected 0xb, actual 0xa\n",
      "  vcpu 1 (*): masked=1"}}, /* comparisons, masks, captured names, partial blobs, deliver-any
                                   */
    {H EXPOSE_P "> hvc 0 UNREGISTER 0x400001\n< x0>=0\n",
     {":5: divergence", "  x0: expected >= 0x0, actual DENIED (0xfffffffffffffffd)\n"}},
    {H "> hvc 0 VERSION\n< x0!=0x1000100000000\n",
     {":3: divergence", "  x0: expected != 0x1000100000000, actual 0x1000100000000\n"}},
    {H "> setreg 0 pstate=0x3c5\n= regs 0 pstate&0xf=0\n",
     {":3: divergence: check failed",
      "  pstate&0xf: expected = 0x0, actual 0x5 (unmasked 0x3c5)\n"}},
    {H "> hvc 0 VERSION\n< x0=$v\n> hvc 1 VERSION\n< x0!=$v\n",
     {":5: divergence", "  x0: expected != 0x1000100000000, actual 0x1000100000000\n"}},
    {H EXPOSE_P
     "> hvc 0 REGISTER 0x400001 0x1000 0\n> hvc 1 REGISTER 0x400001 0x1000 0\n"
     "> hvc 0 ENABLE 0x400001\n> hvc 1 ENABLE 0x400001\n> hvc 0 PE_UNMASK\n> hvc 1 PE_UNMASK\n"
     "> trigger 0x400001 0\n> trigger 0x400001 1\n> deliver-any 0-1\n< entered 0x400001\n",
     {":13: divergence: the result of line 12 differs",
      "  deliver-any: exactly one vCPU may enter, 2 did (the first: 0)\n"}},
    {H EXPOSE_P "> vmm vm GET_EXPOSED_EVENT\n< vmm ret=0 data[118:122]=00000000\n",
     {":5: divergence", "  data[118:122]: expected 4 bytes there, actual 120 bytes in all\n"}},
    {H EXPOSE_P "> vmm vm GET_EXPOSED_EVENT\n< vmm ret=0 data[0:3]=010040\n",
     {":5: divergence", "  data[0:3]: expected 010040, actual 000041\n"}},
    {H "> expose 0x400003 shared normal\n> hvc 0 REGISTER 0x400003 0x1000 0 1 0x80000001\n"
       "> hvc 0 ENABLE 0x400003\n> hvc 0 PE_UNMASK\n> hvc 1 PE_UNMASK\n> trigger 0x400003\n"
       "> deliver 1\n< entered 0x400003 on=0\n",
     {":9: divergence", "  on: expected 0x0, actual 0x1\n"}},
};

/* The blob checks need entries built with the model's codec. */
static void hex_of(char *out, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sprintf(out + 2 * i, "%02x", b[i]);
    }
}

START_TEST(test_each_divergence_names_line_action_expected_and_actual)
{
    const div_case *c = &div_cases[_i];
    char path[512], msg[16384], name[32];
    snprintf(name, sizeof(name), "div%03d.trace", _i);
    int rc = replay_text(name, c->text, path, sizeof(path), msg, sizeof(msg));
    ck_assert_msg(rc == SIM_EXIT_DIVERGENCE, "case %d: exit %d, want 1\n%s\n-- said:\n%s", _i, rc,
                  c->text, msg);
    ck_assert_msg(strncmp(msg, path, strlen(path)) == 0, "case %d: %s", _i, msg);
    for (int k = 0; k < 4 && c->needle[k] != NULL; k++) {
        ck_assert_msg(strstr(msg, c->needle[k]) != NULL,
                      "case %d: trace\n%s\n-- said:\n%s\n-- want:\n%s", _i, c->text, msg,
                      c->needle[k]);
    }
    char tail[600];
    snprintf(tail, sizeof(tail), "REPLAY: sdei-sim replay %s   (stops at line ", path);
    ck_assert_msg(strstr(msg, tail) != NULL, "case %d: no replay line in\n%s", _i, msg);
}
END_TEST

START_TEST(test_blob_divergences_are_reported_field_by_field)
{
    static char text[65536];
    static char hex[2 * SDEI_BLOB_REGISTERED_SIZE + 1];
    uint8_t buf[SDEI_BLOB_REGISTERED_SIZE];
    char path[512], msg[16384];
    static sdei_blob_registered reg;
    sdei_blob_exposed ex;

    /* registered: the model has ep_address[0] = 0x1000, the line says 0x1008 and
     * claims registered bit 1 too. */
    memset(&reg, 0, sizeof(reg));
    reg.num = 0x400001;
    reg.ep_address[0] = 0x1008;
    reg.ep_arg[0] = 0x2000;
    reg.registered[0] = 3;
    ck_assert_int_eq(sdei_blob_registered_encode(&reg, buf, sizeof(buf)), SDEI_OK);
    hex_of(hex, buf, sizeof(buf));
    snprintf(text, sizeof(text),
             H EXPOSE_P "> hvc 0 REGISTER 0x400001 0x1000 0x2000\n"
                        "= blob registered 0x400001 %s\n",
             hex);
    ck_assert_int_eq(replay_text("blob1.trace", text, path, sizeof(path), msg, sizeof(msg)),
                     SIM_EXIT_DIVERGENCE);
    ck_assert_ptr_nonnull(strstr(msg, ":5: divergence: check failed: = blob registered"));
    ck_assert_ptr_nonnull(strstr(msg, "  registered blob differs, field by field:\n"));
    ck_assert_msg(strstr(msg, "  ep_address[0] (@24): expected 0x1008, actual 0x1000\n") != NULL,
                  "%s", msg);
    ck_assert_msg(strstr(msg, "  registered[0] (@8216): expected 0x3, actual 0x1\n") != NULL, "%s",
                  msg);
    ck_assert_ptr_null(strstr(msg, "ep_arg"));

    /* An event the VM has no entry for. */
    snprintf(text, sizeof(text), H EXPOSE_P "= blob registered 0x400001 %s\n", hex);
    ck_assert_int_eq(replay_text("blob2.trace", text, path, sizeof(path), msg, sizeof(msg)),
                     SIM_EXIT_DIVERGENCE);
    ck_assert_msg(strstr(msg, "  registered blob: expected an entry, the VM has none (0 "
                              "entries)\n") != NULL,
                  "%s", msg);

    /* exposed: padding (raw bytes) and a scalar; then an index past the end. */
    memset(&ex, 0, sizeof(ex));
    ex.num = 0x400001;
    ex.type = SDEI_EVENT_TYPE_SHARED;
    ex.padding[4] = 0x5a;
    ck_assert_int_eq(sdei_blob_exposed_encode(&ex, buf, SDEI_BLOB_EXPOSED_SIZE), SDEI_OK);
    hex_of(hex, buf, SDEI_BLOB_EXPOSED_SIZE);
    snprintf(text, sizeof(text), H EXPOSE_P "= blob exposed 0 %s\n", hex);
    ck_assert_int_eq(replay_text("blob3.trace", text, path, sizeof(path), msg, sizeof(msg)),
                     SIM_EXIT_DIVERGENCE);
    ck_assert_msg(strstr(msg, "  type (@8): expected 0x1, actual 0x0\n") != NULL, "%s", msg);
    ck_assert_msg(strstr(msg, "  padding (@11): expected 000000005a, actual 0000000000\n") != NULL,
                  "%s", msg);
    snprintf(text, sizeof(text), H EXPOSE_P "= blob exposed 7 %s\n", hex);
    ck_assert_int_eq(replay_text("blob4.trace", text, path, sizeof(path), msg, sizeof(msg)),
                     SIM_EXIT_DIVERGENCE);
    ck_assert_ptr_nonnull(strstr(msg, "  exposed blob: expected an entry, the VM has none (5 "
                                      "entries)\n"));

    /* vcpu_event: the pending count of a triggered event. */
    sdei_blob_vcpu_event ve;
    memset(&ve, 0, sizeof(ve));
    ve.num = 0x400001;
    ve.event_count = 2;
    ck_assert_int_eq(sdei_blob_vcpu_event_encode(&ve, buf, SDEI_BLOB_VCPU_EVENT_SIZE), SDEI_OK);
    hex_of(hex, buf, SDEI_BLOB_VCPU_EVENT_SIZE);
    snprintf(text, sizeof(text),
             H EXPOSE_P REG_P "> trigger 0x400001 0\n> trigger 0x400001 0\n"
                              "= blob vcpu_event 0 0x400001 %s\n",
             hex);
    ck_assert_int_eq(replay_text("blob5.trace", text, path, sizeof(path), msg, sizeof(msg)),
                     SIM_EXIT_DIVERGENCE);
    ck_assert_msg(strstr(msg, "  event_count (@8): expected 0x2, actual 0x1\n") != NULL, "%s", msg);
    /* ... and the same line holds once it says 1: a private event latches once. */
    ve.event_count = 1;
    ck_assert_int_eq(sdei_blob_vcpu_event_encode(&ve, buf, SDEI_BLOB_VCPU_EVENT_SIZE), SDEI_OK);
    hex_of(hex, buf, SDEI_BLOB_VCPU_EVENT_SIZE);
    snprintf(text, sizeof(text),
             H EXPOSE_P REG_P "> trigger 0x400001 0\n> trigger 0x400001 0\n"
                              "= blob vcpu_event 0 0x400001 %s",
             hex);
    ck_assert_int_eq(replay_text("blob6.trace", text, path, sizeof(path), msg, sizeof(msg)),
                     SIM_EXIT_OK);
}
END_TEST

START_TEST(test_big_vms_dump_only_the_focus_vcpu_and_vcpu_0)
{
    char path[512], msg[16384];
    ck_assert_int_eq(replay_text("big.trace",
                                 "sdei-trace 1 profile=spec vcpus=20\n> hvc 7 PE_UNMASK\n"
                                 "< x0=DENIED\n",
                                 path, sizeof(path), msg, sizeof(msg)),
                     SIM_EXIT_DIVERGENCE);
    ck_assert_ptr_nonnull(strstr(msg, "state dump (profile spec, 20 vCPUs, "));
    ck_assert_ptr_nonnull(strstr(msg, "  vcpu 0: masked=1"));
    ck_assert_ptr_nonnull(strstr(msg, "  vcpu 7 (*): masked=0"));
    ck_assert_ptr_null(strstr(msg, "  vcpu 1:"));
    ck_assert_ptr_nonnull(strstr(msg, "  internal check (model): sound\n"));
}
END_TEST

START_TEST(test_a_good_trace_replays_from_stdin_and_through_the_binary)
{
    char path[512], args[2048];
    cli_path(path, sizeof(path), "good.trace");
    /* No final newline, CRLF line ends, trailing comments, a check with
     * every vCPU field, a critical handler that preempts a normal one. */
    cli_write_text(path,
                   H RUN_P EXPOSE_C "> hvc 0 REGISTER 0x400002 0x3000 0x4000\r\n"
                                    "> hvc 0 ENABLE 0x400002\n< x0=SUCCESS # enabled\n"
                                    "> deliver 0\n< entered 0x400001 prio=normal\n"
                                    "> trigger 0x400002 0\n< pending\n"
                                    "> deliver 0\n< entered 0x400002 prio=critical preempted\n"
                                    "= vcpu 0 masked=0 normal=0x400001 critical=0x400002 queued=2\n"
                                    "> migrate\n< ok\n"
                                    "> hvc 0 COMPLETE\n< completed 0x400002 prio=critical\n"
                                    "= vcpu 0 critical=none\n"
                                    "  > vmm vm GET_REGISTERED_EVENT count=200\n< vmm ret=-EFAULT\n"
                                    "\t> hvc 1 SDEI_VERSION\n< ret x0=0x1000100000000");
    cli_result r = cli_run_in("replay --stats -", path);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "-: 28 lines in "));
    ck_assert_ptr_nonnull(strstr(r.out, "-: ok (28 lines, 15 actions, 10 results, 2 checks)"));
    cli_free(&r);
    snprintf(args, sizeof(args), "replay --quiet '%s' '%s'", path, path);
    cli_expect(args, 0, 0, NULL);
}
END_TEST

static Suite *trace_errors_suite(void)
{
    Suite *s = suite_create("trace_errors");
    TCase *tc = tcase_create("bad_input");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc,
                        test_every_bad_field_is_bad_input_naming_file_line_and_what_was_expected, 0,
                        (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
    tcase_add_test(tc, test_the_binary_reports_bad_input_with_exit_3);
    tcase_add_test(tc, test_lines_longer_than_the_limit_are_bad_input_even_without_a_newline);
    tcase_add_test(tc, test_unreadable_input_is_an_io_error);
    suite_add_tcase(s, tc);
    tc = tcase_create("divergence");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_each_divergence_names_line_action_expected_and_actual, 0,
                        (int)(sizeof(div_cases) / sizeof(div_cases[0])));
    tcase_add_test(tc, test_blob_divergences_are_reported_field_by_field);
    tcase_add_test(tc, test_big_vms_dump_only_the_focus_vcpu_and_vcpu_0);
    tcase_add_test(tc, test_a_good_trace_replays_from_stdin_and_through_the_binary);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return t_run_suite(trace_errors_suite());
}
