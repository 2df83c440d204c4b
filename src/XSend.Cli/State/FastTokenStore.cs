using XSend.Xmpp;
using XSend.Xmpp.Sasl;

namespace XSend.Cli.State;

/// <summary>
/// Keeps XEP-0484 (FAST) tokens in a 0600 JSON file keyed by account and SASL2 user-agent id
/// (each id of the <see cref="UserAgentPool"/> has its own token), so the next run with that id
/// logs in with it in one round trip. A token is a revocable, expiring credential for this
/// installation only; the password file stays the master secret. Values outside the XEP's token
/// syntax are never stored or used. File trouble is a warning: without a token, the password
/// still logs in.
/// </summary>
internal sealed class FastTokenStore(string path, Guid userAgent, TextWriter stderr) : IFastTokenStore
{
    /// <summary>The state file.</summary>
    public string Path { get; } = path;

    /// <summary>The file in <paramref name="stateDirectory"/>.</summary>
    public static string PathIn(string stateDirectory) => System.IO.Path.Combine(stateDirectory, "fast-tokens.json");

    private string AgentKey => userAgent.ToString("D");

    /// <inheritdoc/>
    public FastToken? Load(Jid account)
    {
        try
        {
            FastTokenDocument? document = PrivateStateFile.Read(Path, StateJsonContext.Default.FastTokenDocument);
            if (document?.Accounts.GetValueOrDefault(account.Bare.ToString())?.GetValueOrDefault(AgentKey) is not { } stored)
                return null;
            if (stored.Mechanism is not { } mechanism || stored.Token is not { } token
                || !FastToken.IsValidMechanism(mechanism) || !FastToken.IsValidSecret(token))
            {
                stderr.WriteLine($"xsend: warning: ignoring a malformed FAST token for {account.Bare} in {Path}; logging in with the password");
                return null;
            }
            return new FastToken(mechanism, token, stored.Expiry);
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
        if (token is not null && (!FastToken.IsValidMechanism(token.Mechanism) || !FastToken.IsValidSecret(token.Token)))
            throw new ArgumentException("not a FAST token in the XEP-0484 syntax", nameof(token));
        try
        {
            string key = account.Bare.ToString();
            PrivateStateFile.Update(Path, StateJsonContext.Default.FastTokenDocument, document =>
            {
                document ??= new FastTokenDocument();
                Dictionary<string, StoredFastToken> agents = document.Accounts.GetValueOrDefault(key) ?? new(StringComparer.Ordinal);
                if (token is null && !agents.Remove(AgentKey))
                    return null;
                if (token is not null)
                    agents[AgentKey] = new StoredFastToken { Mechanism = token.Mechanism, Token = token.Token, Expiry = token.Expiry.ToUniversalTime() };
                if (agents.Count == 0)
                    document.Accounts.Remove(key);
                else
                    document.Accounts[key] = agents;
                return document;
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"xsend: warning: cannot keep the FAST token in {Path}: {ex.Message}");
        }
    }
}
