using XSend.Xmpp;
using XSend.Xmpp.Sasl;

namespace XSend.Cli.State;

/// <summary>
/// The opt-in memory of the strongest SASL mechanism each account has logged in with (as
/// go-sendxmpp pins SCRAM): a later login refuses anything weaker, so a man in the middle who
/// strips SCRAM-*-PLUS or SHA-256 from the offer is caught even where the server does not send
/// XEP-0474's hash. One line per account, "bare-jid mechanism", in a 0600 file.
/// </summary>
internal sealed class MechanismMemory(string path)
{
    /// <summary>The state file.</summary>
    public string Path { get; } = path;

    /// <summary>The default state file: /var/lib/xsend/mechanisms for root, else under $XDG_STATE_HOME/xsend.</summary>
    public static string DefaultPath(CliEnvironment environment) =>
        environment.IsPrivileged ? "/var/lib/xsend/mechanisms" : System.IO.Path.Combine(environment.StateHome, "xsend", "mechanisms");

    /// <summary>The mechanism remembered for <paramref name="account"/>, or <see langword="null"/>.</summary>
    /// <exception cref="IOException">The file exists but cannot be read.</exception>
    public string? Recall(Jid account)
    {
        string key = account.Bare.ToString();
        return ReadAll().GetValueOrDefault(key);
    }

    /// <summary>
    /// Records <paramref name="mechanism"/> for <paramref name="account"/> when it is stronger than
    /// the one remembered. A write failure is a warning: the login itself succeeded.
    /// </summary>
    public void Remember(Jid account, string mechanism, TextWriter stderr)
    {
        try
        {
            Dictionary<string, string> all = ReadAll();
            string key = account.Bare.ToString();
            int rank = SaslMechanismRanking.Rank(mechanism);
            if (rank < 0)
                return;
            // Rank 0 is the strongest; a remembered name this version does not know is replaced.
            if (all.TryGetValue(key, out string? known) && SaslMechanismRanking.Rank(known) is int knownRank and >= 0 && knownRank <= rank)
                return;
            all[key] = mechanism;
            Write(all);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"xsend: warning: cannot remember the login mechanism in {Path}: {ex.Message}");
        }
    }

    private Dictionary<string, string> ReadAll()
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(Path))
            throw new IOException("it is a directory");
        if (!File.Exists(Path))
            return all;
        foreach (string line in File.ReadLines(Path))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length == 2 && !fields[0].StartsWith('#'))
                all[fields[0]] = fields[1];
        }
        return all;
    }

    private void Write(Dictionary<string, string> all)
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(directory);
        else
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Written whole to a private temporary file, then renamed over the old one: a reader
        // never sees half a file, and the file is never readable by others.
        string temporary = System.IO.Path.Combine(directory, $".mechanisms.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(temporary, System.Text.Encoding.UTF8, options))
        {
            writer.WriteLine("# xsend: the strongest SASL mechanism each account logged in with (Security:PinMechanism).");
            writer.WriteLine("# A login offering only weaker ones is refused; delete a line to accept a server's change.");
            foreach ((string account, string mechanism) in all.OrderBy(p => p.Key, StringComparer.Ordinal))
                writer.WriteLine($"{account} {mechanism}");
        }
        File.Move(temporary, Path, overwrite: true);
    }
}
