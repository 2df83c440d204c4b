using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace XSend.Cli.Commands;

/// <summary>The standard help, followed by examples and the exit codes.</summary>
internal sealed class HelpWithFooterAction(HelpAction inner, string footer) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        int result = inner.Invoke(parseResult);
        parseResult.InvocationConfiguration.Output.Write(footer);
        return result;
    }
}
