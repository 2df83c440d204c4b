using System.CommandLine;
using XSend.Cli.Failures;

namespace XSend.Cli.Commands;

/// <summary><c>xsend man</c>: prints xsend(1), rendered by <see cref="ManPage"/> from the whole command tree.</summary>
internal static class ManCommand
{
    /// <param name="console">Where the page goes.</param>
    /// <param name="fullTree">
    /// Builds the whole tree: the page documents the send's arguments too, which the parse of a
    /// subcommand leaves out of its own tree.
    /// </param>
    public static Command Build(CliConsole console, Func<RootCommand> fullTree)
    {
        var command = new Command("man", "Print this program's manual page (roff), generated from the same option descriptions as --help.");
        command.SetAction(_ =>
        {
            console.Out.Write(ManPage.Render(fullTree()));
            return ExitCodes.Ok;
        });
        return command;
    }
}
