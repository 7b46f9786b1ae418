/**
 * The shell layer's public entry: the bash interpreter, the interactive REPL,
 * the file commands and the types machine commands are written against.
 */
export { Shell, DEFAULT_LIMITS, type ShellOptions } from "./shell.js";
export { echoText } from "./builtins/echo.js";
export { runRepl, hostSinks, hostStdin, promptFor, type ReplOptions } from "./repl.js";
export { installBinaries } from "./install_binaries.js";
export { fileCommands, SHELL_BINARIES } from "./commands/mod.js";
export { BufferInput, BufferSink, FileSink, NullSink, RecordingSinks } from "./io.js";
export { BINARY_MARKER, type Command, type CommandContext, type InputSource, type OutputSink, type ShellHooks, type ShellLimits } from "./types.js";
