using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace XSend.Cli.Commands;

/// <summary>Prints xsend's own version (not the host process's, which differs under a test runner).</summary>
internal sealed class PrintVersionAction : SynchronousCommandLineAction
{
    public static string Version { get; } =
        typeof(PrintVersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Version);
        return 0;
    }
}
