namespace XSend.Cli.Commands;

/// <summary>
/// What the commands' actions read and write: the standard streams and the process's
/// environment. The real process passes its own; tests pass string writers and a harness environment.
/// </summary>
/// <param name="In">Standard input (the message body when no text is given).</param>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error: failures, warnings, the -v narration and the --debug log.</param>
/// <param name="Environment">Variables, config paths, the clock and the test seams.</param>
internal sealed record CliConsole(Stream In, TextWriter Out, TextWriter Error, CliEnvironment Environment);
