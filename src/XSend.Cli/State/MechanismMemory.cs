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

    private Dictionary<string, string> ReadAll() =>
        PrivateStateFile.Read(Path, 2).ToDictionary(record => record[0], record => record[1], StringComparer.Ordinal);

    private void Write(Dictionary<string, string> all) =>
        PrivateStateFile.Write(Path,
            ["xsend: the strongest SASL mechanism each account logged in with (Security:PinMechanism).",
             "A login offering only weaker ones is refused; delete a line to accept a server's change."],
            all.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new[] { p.Key, p.Value }));
}
