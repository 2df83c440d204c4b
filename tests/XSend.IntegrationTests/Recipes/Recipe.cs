using System.Text.RegularExpressions;
using XSend.Xmpp;

namespace XSend.IntegrationTests.Recipes;

/// <summary>
/// A recipe in docs/recipes/: its files are the fenced blocks tagged <c>file=NAME</c>, so the
/// tests run exactly what the page tells people to copy.
/// </summary>
public sealed partial class Recipe
{
    private readonly string _text;

    private Recipe(string path)
    {
        _text = System.IO.File.ReadAllText(path);
        Path = path;
    }

    /// <summary>The page's path.</summary>
    public string Path { get; }

    /// <summary>Opens docs/recipes/<paramref name="name"/>.md.</summary>
    public static Recipe Open(string name) => new(System.IO.Path.Combine(SandboxServerFixture.RepositoryRoot, "docs", "recipes", name + ".md"));

    [GeneratedRegex(@"^```[a-z]*\s+file=(\S+)\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FileBlock();

    /// <summary>The content of the block tagged <c>file=<paramref name="file"/></c>.</summary>
    public string File(string file) =>
        FileBlock().Matches(_text).FirstOrDefault(m => m.Groups[1].Value == file)?.Groups[2].Value
        ?? throw new InvalidOperationException($"{Path} has no block tagged file={file}");

    /// <summary>Writes the block <paramref name="file"/> into <paramref name="directory"/> (executable for scripts), after <paramref name="edit"/>.</summary>
    public string Install(string file, string directory, Func<string, string>? edit = null, bool executable = false)
    {
        string path = System.IO.Path.Combine(directory, file);
        System.IO.File.WriteAllText(path, (edit ?? (s => s))(File(file)));
        if (executable)
            System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>
    /// The environment under which a recipe's script finds xsend and the sandbox account
    /// (the XSEND_* variables a real install would put in /etc/xsend/appsettings.json), in a fresh
    /// directory of its own for the outbox and state.
    /// </summary>
    public static Dictionary<string, string> XsendEnvironment(ProsodyFixture prosody, string directory)
    {
        string passwordFile = System.IO.Path.Combine(directory, "sender.pw");
        System.IO.File.WriteAllText(passwordFile, SandboxServerFixture.PasswordOf(Sender) + "\n");
        System.IO.File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new Dictionary<string, string>
        {
            ["XSEND"] = XsendProcess.BinaryPath,
            ["XSEND_ACCOUNT__JID"] = $"{Sender}@{SandboxServerFixture.Domain}",
            ["XSEND_ACCOUNT__PASSWORD_FILE"] = passwordFile,
            ["XSEND_ACCOUNT__SERVER"] = prosody.Endpoint,
            ["XSEND_ACCOUNT__CA_FILE"] = prosody.CaFile,
            ["XSEND_OUTBOX__DIRECTORY"] = System.IO.Path.Combine(directory, "outbox"),
            ["XSEND_STATE__DIRECTORY"] = System.IO.Path.Combine(directory, "state"),
            ["HOME"] = directory,
        };
    }

    /// <summary>The sending account of the recipe tests.</summary>
    public const string Sender = "sxfrom";

    /// <summary>
    /// Runs a monitoring daemon (<paramref name="program"/> with <paramref name="args"/>, under
    /// <see cref="XsendEnvironment"/>) until <paramref name="count"/> messages have reached
    /// <paramref name="receiver"/>, then kills it with its children: one daemon per test.
    /// </summary>
    /// <param name="log">What to show when nothing arrives in time (the daemon's log file), besides its output.</param>
    public static async Task<List<ReceivedMessage>> ReceiveFromDaemonAsync(
        string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, Receiver receiver, int count, Func<string> log)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        foreach ((string name, string value) in environment)
            start.Environment[name] = value;
        using System.Diagnostics.Process daemon = System.Diagnostics.Process.Start(start)!;
        Task<string> output = daemon.StandardOutput.ReadToEndAsync();
        Task<string> errors = daemon.StandardError.ReadToEndAsync();
        try
        {
            return await receiver.ReceiveAsync(count);
        }
        catch (OperationCanceledException)
        {
            daemon.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{count} notification(s) did not arrive within 30 s; {program} said:\n{await output}{await errors}\n{log()}");
        }
        finally
        {
            if (!daemon.HasExited)
                daemon.Kill(entireProcessTree: true);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await daemon.WaitForExitAsync(exit.Token);
        }
    }
}
