/*
 * Measurement only, never part of the plugin: the least any ptrace tracer can cost per syscall on this machine.
 * It traces a command with a SECCOMP_RET_TRACE filter, one stop per call as the plugin's default mode does, and at
 * each stop does nothing but (optionally) PTRACE_GET_SYSCALL_INFO and PTRACE_CONT. docs/performance.md compares it
 * with the plugin's Java tracer and with the targets.
 *
 *   gcc -O2 -o target/ptrace-floor src/test/c/ptrace-floor.c
 *   taskset -c 0 target/ptrace-floor 1 COMMAND...     (1: read the call's number and arguments; 0: do not)
 */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s 0|1 COMMAND...\n", argv[0]);
        return 2;
    }
    int readInfo = atoi(argv[1]);
    pid_t child = fork();
    if (child == 0) {
        struct sock_filter traceAll[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE)};
        struct sock_fprog program = {1, traceAll};
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program)) {
            perror("seccomp");
            _exit(126);
        }
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK
            | PTRACE_O_TRACEVFORK | PTRACE_O_EXITKILL);
    ptrace(PTRACE_CONT, child, 0, 0);
    long stops = 0;
    int exitCode = 0;
    struct __ptrace_syscall_info info;
    pid_t pid;
    while ((pid = waitpid(-1, &status, __WALL)) > 0) {
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (pid == child) {
                exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            continue;
        }
        int signal = WSTOPSIG(status);
        if (signal == SIGTRAP && (status >> 16) == PTRACE_EVENT_SECCOMP) {
            stops++;
            if (readInfo) {
                ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info);
            }
            signal = 0;
        } else if (signal == SIGTRAP || signal == SIGSTOP || (status >> 16) != 0) {
            signal = 0;
        }
        ptrace(PTRACE_CONT, pid, 0, signal);
    }
    fprintf(stderr, "ptrace-floor: %ld stops\n", stops);
    return exitCode;
}
