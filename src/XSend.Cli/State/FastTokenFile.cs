using System.Globalization;
using XSend.Xmpp;
using XSend.Xmpp.Sasl;

namespace XSend.Cli.State;

/// <summary>
/// Keeps each account's XEP-0484 (FAST) token in a 0600 file ("jid mechanism expiry token" per
/// line), so the next run logs in with it in one round trip. A token is a revocable, expiring
/// credential for this installation only; the password file stays the master secret.
/// File trouble is a warning: without a token, the password still logs in.
/// </summary>
internal sealed class FastTokenFile(string path, TextWriter stderr) : IFastTokenStore
{
    /// <summary>The state file.</summary>
    public string Path { get; } = path;

    /// <summary>The default file: /var/lib/xsend/fast-tokens for root, else under $XDG_STATE_HOME/xsend.</summary>
    public static string DefaultPath(CliEnvironment environment) =>
        environment.IsPrivileged ? "/var/lib/xsend/fast-tokens" : System.IO.Path.Combine(environment.StateHome, "xsend", "fast-tokens");

    /// <inheritdoc/>
    public FastToken? Load(Jid account)
    {
        try
        {
            string key = account.Bare.ToString();
            string[]? record = PrivateStateFile.Read(Path, 4).LastOrDefault(r => r[0] == key);
            if (record is null || !DateTimeOffset.TryParse(record[2], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset expiry))
                return null;
            return new FastToken(record[1], record[3], expiry);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"xsend: warning: cannot read the FAST tokens in {Path}: {ex.Message}; logging in with the password");
            return null;
        }
    }

    /// <inheritdoc/>
    public void Save(Jid account, FastToken? token)
    {
        try
        {
            string key = account.Bare.ToString();
            List<string[]> records = PrivateStateFile.Read(Path, 4).Where(r => r[0] != key).ToList();
            if (token is not null)
                records.Add([key, token.Mechanism, token.Expiry.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), token.Token]);
            PrivateStateFile.Write(Path,
                ["xsend: XEP-0484 (FAST) login tokens, one per account (Security:FastTokens). Secret: keep this file private.",
                 "Deleting a line only makes the next login use the password."],
                records.OrderBy(r => r[0], StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"xsend: warning: cannot keep the FAST token in {Path}: {ex.Message}");
        }
    }
}
