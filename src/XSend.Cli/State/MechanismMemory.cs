using XSend.Xmpp;
using XSend.Xmpp.Sasl;

namespace XSend.Cli.State;

/// <summary>
/// The opt-in memory of the strongest SASL mechanism each account has logged in with (as
/// go-sendxmpp pins SCRAM): a later login refuses anything weaker, so a man in the middle who
/// strips SCRAM-*-PLUS or SHA-256 from the offer is caught even where the server does not send
/// XEP-0474's hash. A 0600 JSON file keyed by account.
/// </summary>
internal sealed class MechanismMemory(string path)
{
    /// <summary>The state file.</summary>
    public string Path { get; } = path;

    /// <summary>The file in <paramref name="stateDirectory"/>.</summary>
    public static string PathIn(string stateDirectory) => System.IO.Path.Combine(stateDirectory, "mechanisms.json");

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
            string key = account.Bare.ToString();
            int rank = SaslMechanismRanking.Rank(mechanism);
            if (rank < 0)
                return;
            PrivateStateFile.Update(Path, StateJsonContext.Default.MechanismDocument, document =>
            {
                document ??= new MechanismDocument();
                // Rank 0 is the strongest; a remembered name this version does not know is replaced.
                if (document.Accounts.TryGetValue(key, out string? known) && SaslMechanismRanking.Rank(known) is int knownRank and >= 0 && knownRank <= rank)
                    return null;
                document.Accounts[key] = mechanism;
                return document;
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"xsend: warning: cannot remember the login mechanism in {Path}: {ex.Message}");
        }
    }

    private Dictionary<string, string> ReadAll() =>
        PrivateStateFile.Read(Path, StateJsonContext.Default.MechanismDocument)?.Accounts ?? new(StringComparer.Ordinal);
}
