/**
 * What bash 5.2.15's `help` prints: the list of builtins (80 columns, as
 * `help` prints it when stdout is not a terminal) and, per topic, the
 * synopsis (`help -s`) and the one-line description (`help -d`). Recorded
 * from GNU bash 5.2.15 (`env -i bash -c help`).
 */

/** `help` with no argument. */
export const HELP_LIST = "GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)\nThese shell commands are defined internally.  Type `help' to see this list.\nType `help name' to find out more about the function `name'.\nUse `info bash' to find out more about the shell in general.\nUse `man -k' or `info' to find out more about commands not in this list.\n\nA star (*) next to a name means that the command is disabled.\n\n job_spec [&]                            history [-c] [-d offset] [n] or hist>\n (( expression ))                        if COMMANDS; then COMMANDS; [ elif C>\n . filename [arguments]                  jobs [-lnprs] [jobspec ...] or jobs >\n :                                       kill [-s sigspec | -n signum | -sigs>\n [ arg... ]                              let arg [arg ...]\n [[ expression ]]                        local [option] name[=value] ...\n alias [-p] [name[=value] ... ]          logout [n]\n bg [job_spec ...]                       mapfile [-d delim] [-n count] [-O or>\n bind [-lpsvPSVX] [-m keymap] [-f file>  popd [-n] [+N | -N]\n break [n]                               printf [-v var] format [arguments]\n builtin [shell-builtin [arg ...]]       pushd [-n] [+N | -N | dir]\n caller [expr]                           pwd [-LP]\n case WORD in [PATTERN [| PATTERN]...)>  read [-ers] [-a array] [-d delim] [->\n cd [-L|[-P [-e]] [-@]] [dir]            readarray [-d delim] [-n count] [-O >\n command [-pVv] command [arg ...]        readonly [-aAf] [name[=value] ...] o>\n compgen [-abcdefgjksuv] [-o option] [>  return [n]\n complete [-abcdefgjksuv] [-pr] [-DEI]>  select NAME [in WORDS ... ;] do COMM>\n compopt [-o|+o option] [-DEI] [name .>  set [-abefhkmnptuvxBCEHPT] [-o optio>\n continue [n]                            shift [n]\n coproc [NAME] command [redirections]    shopt [-pqsu] [-o] [optname ...]\n declare [-aAfFgiIlnrtux] [name[=value>  source filename [arguments]\n dirs [-clpv] [+N] [-N]                  suspend [-f]\n disown [-h] [-ar] [jobspec ... | pid >  test [expr]\n echo [-neE] [arg ...]                   time [-p] pipeline\n enable [-a] [-dnps] [-f filename] [na>  times\n eval [arg ...]                          trap [-lp] [[arg] signal_spec ...]\n exec [-cl] [-a name] [command [argume>  true\n exit [n]                                type [-afptP] name [name ...]\n export [-fn] [name[=value] ...] or ex>  typeset [-aAfFgiIlnrtux] name[=value>\n false                                   ulimit [-SHabcdefiklmnpqrstuvxPRT] [>\n fc [-e ename] [-lnr] [first] [last] o>  umask [-p] [-S] [mode]\n fg [job_spec]                           unalias [-a] name [name ...]\n for NAME [in WORDS ... ] ; do COMMAND>  unset [-f] [-v] [-n] [name ...]\n for (( exp1; exp2; exp3 )); do COMMAN>  until COMMANDS; do COMMANDS-2; done\n function name { COMMANDS ; } or name >  variables - Names and meanings of so>\n getopts optstring name [arg ...]        wait [-fn] [-p var] [id ...]\n hash [-lr] [-p pathname] [-dt] [name >  while COMMANDS; do COMMANDS-2; done\n help [-dms] [pattern ...]               { COMMANDS ; }\n";

/** Per topic: `help -s` and `help -d` lines. */
export const HELP_TOPICS: Readonly<Record<string, { synopsis: string; short: string }>> = {
  ".": {
    "synopsis": ".: . filename [arguments]",
    "short": ". - Execute commands from a file in the current shell."
  },
  ":": {
    "synopsis": ":: :",
    "short": ": - Null command."
  },
  "[": {
    "synopsis": "[: [ arg... ]",
    "short": "[ - Evaluate conditional expression."
  },
  "alias": {
    "synopsis": "alias: alias [-p] [name[=value] ... ]",
    "short": "alias - Define or display aliases."
  },
  "bg": {
    "synopsis": "bg: bg [job_spec ...]",
    "short": "bg - Move jobs to the background."
  },
  "bind": {
    "synopsis": "bind: bind [-lpsvPSVX] [-m keymap] [-f filename] [-q name] [-u name] [-r keyseq] [-x keyseq:shell-command] [keyseq:readline-function or readline-command]",
    "short": "bind - Set Readline key bindings and variables."
  },
  "break": {
    "synopsis": "break: break [n]",
    "short": "break - Exit for, while, or until loops."
  },
  "builtin": {
    "synopsis": "builtin: builtin [shell-builtin [arg ...]]",
    "short": "builtin - Execute shell builtins."
  },
  "caller": {
    "synopsis": "caller: caller [expr]",
    "short": "caller - Return the context of the current subroutine call."
  },
  "cd": {
    "synopsis": "cd: cd [-L|[-P [-e]] [-@]] [dir]",
    "short": "cd - Change the shell working directory."
  },
  "command": {
    "synopsis": "command: command [-pVv] command [arg ...]",
    "short": "command - Execute a simple command or display information about commands."
  },
  "compgen": {
    "synopsis": "compgen: compgen [-abcdefgjksuv] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [word]",
    "short": "compgen - Display possible completions depending on the options."
  },
  "complete": {
    "synopsis": "complete: complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]",
    "short": "complete - Specify how arguments are to be completed by Readline."
  },
  "compopt": {
    "synopsis": "compopt: compopt [-o|+o option] [-DEI] [name ...]",
    "short": "compopt - Modify or display completion options."
  },
  "continue": {
    "synopsis": "continue: continue [n]",
    "short": "continue - Resume for, while, or until loops."
  },
  "declare": {
    "synopsis": "declare: declare [-aAfFgiIlnrtux] [name[=value] ...] or declare -p [-aAfFilnrtux] [name ...]",
    "short": "declare - Set variable values and attributes."
  },
  "dirs": {
    "synopsis": "dirs: dirs [-clpv] [+N] [-N]",
    "short": "dirs - Display directory stack."
  },
  "disown": {
    "synopsis": "disown: disown [-h] [-ar] [jobspec ... | pid ...]",
    "short": "disown - Remove jobs from current shell."
  },
  "echo": {
    "synopsis": "echo: echo [-neE] [arg ...]",
    "short": "echo - Write arguments to the standard output."
  },
  "enable": {
    "synopsis": "enable: enable [-a] [-dnps] [-f filename] [name ...]",
    "short": "enable - Enable and disable shell builtins."
  },
  "eval": {
    "synopsis": "eval: eval [arg ...]",
    "short": "eval - Execute arguments as a shell command."
  },
  "exec": {
    "synopsis": "exec: exec [-cl] [-a name] [command [argument ...]] [redirection ...]",
    "short": "exec - Replace the shell with the given command."
  },
  "exit": {
    "synopsis": "exit: exit [n]",
    "short": "exit - Exit the shell."
  },
  "export": {
    "synopsis": "export: export [-fn] [name[=value] ...] or export -p",
    "short": "export - Set export attribute for shell variables."
  },
  "false": {
    "synopsis": "false: false",
    "short": "false - Return an unsuccessful result."
  },
  "fc": {
    "synopsis": "fc: fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]",
    "short": "fc - Display or execute commands from the history list."
  },
  "fg": {
    "synopsis": "fg: fg [job_spec]",
    "short": "fg - Move job to the foreground."
  },
  "getopts": {
    "synopsis": "getopts: getopts optstring name [arg ...]",
    "short": "getopts - Parse option arguments."
  },
  "hash": {
    "synopsis": "hash: hash [-lr] [-p pathname] [-dt] [name ...]",
    "short": "hash - Remember or display program locations."
  },
  "help": {
    "synopsis": "help: help [-dms] [pattern ...]",
    "short": "help - Display information about builtin commands."
  },
  "history": {
    "synopsis": "history: history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]",
    "short": "history - Display or manipulate the history list."
  },
  "jobs": {
    "synopsis": "jobs: jobs [-lnprs] [jobspec ...] or jobs -x command [args]",
    "short": "jobs - Display status of jobs."
  },
  "kill": {
    "synopsis": "kill: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]",
    "short": "kill - Send a signal to a job."
  },
  "let": {
    "synopsis": "let: let arg [arg ...]",
    "short": "let - Evaluate arithmetic expressions."
  },
  "local": {
    "synopsis": "local: local [option] name[=value] ...",
    "short": "local - Define local variables."
  },
  "logout": {
    "synopsis": "logout: logout [n]",
    "short": "logout - Exit a login shell."
  },
  "mapfile": {
    "synopsis": "mapfile: mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]",
    "short": "mapfile - Read lines from the standard input into an indexed array variable."
  },
  "popd": {
    "synopsis": "popd: popd [-n] [+N | -N]",
    "short": "popd - Remove directories from stack."
  },
  "printf": {
    "synopsis": "printf: printf [-v var] format [arguments]",
    "short": "printf - Formats and prints ARGUMENTS under control of the FORMAT."
  },
  "pushd": {
    "synopsis": "pushd: pushd [-n] [+N | -N | dir]",
    "short": "pushd - Add directories to stack."
  },
  "pwd": {
    "synopsis": "pwd: pwd [-LP]",
    "short": "pwd - Print the name of the current working directory."
  },
  "read": {
    "synopsis": "read: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]",
    "short": "read - Read a line from the standard input and split it into fields."
  },
  "readarray": {
    "synopsis": "readarray: readarray [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]",
    "short": "readarray - Read lines from a file into an array variable."
  },
  "readonly": {
    "synopsis": "readonly: readonly [-aAf] [name[=value] ...] or readonly -p",
    "short": "readonly - Mark shell variables as unchangeable."
  },
  "return": {
    "synopsis": "return: return [n]",
    "short": "return - Return from a shell function."
  },
  "set": {
    "synopsis": "set: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]",
    "short": "set - Set or unset values of shell options and positional parameters."
  },
  "shift": {
    "synopsis": "shift: shift [n]",
    "short": "shift - Shift positional parameters."
  },
  "shopt": {
    "synopsis": "shopt: shopt [-pqsu] [-o] [optname ...]",
    "short": "shopt - Set and unset shell options."
  },
  "source": {
    "synopsis": "source: source filename [arguments]",
    "short": "source - Execute commands from a file in the current shell."
  },
  "suspend": {
    "synopsis": "suspend: suspend [-f]",
    "short": "suspend - Suspend shell execution."
  },
  "test": {
    "synopsis": "test: test [expr]",
    "short": "test - Evaluate conditional expression."
  },
  "times": {
    "synopsis": "times: times",
    "short": "times - Display process times."
  },
  "trap": {
    "synopsis": "trap: trap [-lp] [[arg] signal_spec ...]",
    "short": "trap - Trap signals and other events."
  },
  "true": {
    "synopsis": "true: true",
    "short": "true - Return a successful result."
  },
  "type": {
    "synopsis": "type: type [-afptP] name [name ...]",
    "short": "type - Display information about command type."
  },
  "typeset": {
    "synopsis": "typeset: typeset [-aAfFgiIlnrtux] name[=value] ... or typeset -p [-aAfFilnrtux] [name ...]",
    "short": "typeset - Set variable values and attributes."
  },
  "ulimit": {
    "synopsis": "ulimit: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]",
    "short": "ulimit - Modify shell resource limits."
  },
  "umask": {
    "synopsis": "umask: umask [-p] [-S] [mode]",
    "short": "umask - Display or set file mode mask."
  },
  "unalias": {
    "synopsis": "unalias: unalias [-a] name [name ...]",
    "short": "unalias - Remove each NAME from the list of defined aliases."
  },
  "unset": {
    "synopsis": "unset: unset [-f] [-v] [-n] [name ...]",
    "short": "unset - Unset values and attributes of shell variables and functions."
  },
  "wait": {
    "synopsis": "wait: wait [-fn] [-p var] [id ...]",
    "short": "wait - Wait for job completion and return exit status."
  },
  "[[": {
    "synopsis": "[[ ... ]]: [[ expression ]]",
    "short": "[[ ... ]] - Execute conditional command."
  },
  "case": {
    "synopsis": "case: case WORD in [PATTERN [| PATTERN]...) COMMANDS ;;]... esac",
    "short": "case - Execute commands based on pattern matching."
  },
  "coproc": {
    "synopsis": "coproc: coproc [NAME] command [redirections]",
    "short": "coproc - Create a coprocess named NAME."
  },
  "for": {
    "synopsis": "for: for NAME [in WORDS ... ] ; do COMMANDS; done",
    "short": "for - Execute commands for each member in a list."
  },
  "function": {
    "synopsis": "function: function name { COMMANDS ; } or name () { COMMANDS ; }",
    "short": "function - Define shell function."
  },
  "if": {
    "synopsis": "if: if COMMANDS; then COMMANDS; [ elif COMMANDS; then COMMANDS; ]... [ else COMMANDS; ] fi",
    "short": "if - Execute commands based on conditional."
  },
  "select": {
    "synopsis": "select: select NAME [in WORDS ... ;] do COMMANDS; done",
    "short": "select - Select words from a list and execute commands."
  },
  "time": {
    "synopsis": "time: time [-p] pipeline",
    "short": "time - Report time consumed by pipeline's execution."
  },
  "until": {
    "synopsis": "until: until COMMANDS; do COMMANDS-2; done",
    "short": "until - Execute commands as long as a test does not succeed."
  },
  "while": {
    "synopsis": "while: while COMMANDS; do COMMANDS-2; done",
    "short": "while - Execute commands as long as a test succeeds."
  },
  "{": {
    "synopsis": "{ ... }: { COMMANDS ; }",
    "short": "{ ... } - Group commands as a unit."
  }
};
