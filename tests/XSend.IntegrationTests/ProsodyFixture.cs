namespace XSend.IntegrationTests;

/// <summary>
/// A real Prosody 0.12, started by scripts/prosody-sandbox.sh with STARTTLS and direct TLS
/// (c2s_direct_tls_ports) listeners. .ci/run installs Prosody.
/// </summary>
public class ProsodyFixture : SandboxServerFixture
{
    /// <summary>The sendxmpp drop-in tests' own sender and live recipients (SendxmppCompatTests); declared first, as Users uses it.</summary>
    public static readonly string[] SendxmppAccounts = ["sxfrom", .. Enumerable.Range(1, 10).Select(i => $"sxto{i}")];

    /// <summary>The live recipients of the recipe tests (docs/recipes/, Recipes/*Tests).</summary>
    public static readonly string[] RecipeAccounts = ["rcpnagios", "rcpicinga", "rcpzabbix", "rcpcron", "rcpsystemd"];

    /// <summary>Accounts created for the tests; each test uses its own recipient so they never interfere.</summary>
    public static readonly string[] Users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "henry", "ivan", "judy", "kim", "lena", "mike", "nina", "oscar", "pat", "quinn", "rita", "sam", "tom", "uma", "vic", "walt", "wes", "xena", "yuri", "zoe", "amber", "blake", "cole", "drew", "ezra", "fay",
        .. SendxmppAccounts, .. RecipeAccounts];

    private readonly bool _sasl2;

    public ProsodyFixture()
        : this("prosody", sasl2: false)
    {
    }

    /// <summary>With <paramref name="sasl2"/>, also SASL2, Bind2 and FAST (prosody-modules, patched by the script).</summary>
    protected ProsodyFixture(string server, bool sasl2)
        : base(server) => _sasl2 = sasl2;

    private Dictionary<string, string> Environment => new() { ["DIRECT_TLS_PORT"] = DirectTlsPort.ToString(), ["SASL2"] = _sasl2 ? "1" : "" };

    public override async Task InitializeAsync()
    {
        (int code, string output) = await RunScriptAsync("prosody-sandbox.sh", Environment,
            ["start", Directory, Port.ToString(), Domain, .. Accounts(Users)]);
        if (code != 0)
            throw new InvalidOperationException($"could not start Prosody (is it installed? apt-get install -y prosody prosody-modules): {output}");
    }

    /// <summary>Stops the server (accounts and stored messages are kept).</summary>
    public async Task StopAsync() => await RunScriptAsync("prosody-sandbox.sh", Environment, "stop", Directory);

    /// <summary>Starts the stopped server again on the same port.</summary>
    public async Task ResumeAsync()
    {
        (int code, string output) = await RunScriptAsync("prosody-sandbox.sh", Environment, "resume", Directory, Port.ToString());
        if (code != 0)
            throw new InvalidOperationException($"could not restart Prosody: {output}");
    }

    public override async Task DisposeAsync()
    {
        await StopAsync();
        DeleteDirectory();
    }
}

/// <summary>
/// Prosody 0.12 with Debian's mod_sasl2, mod_sasl2_bind2 and mod_sasl2_fast (prosody-modules
/// 0.0~hg20230223) under the compatibility patch in scripts/prosody-sasl2/. Its Bind2 makes the
/// resource from the SASL2 user-agent id, so two sessions with one id evict each other.
/// </summary>
public sealed class ProsodySasl2Fixture() : ProsodyFixture("prosody-sasl2", sasl2: true);

[CollectionDefinition(Name)]
public sealed class ProsodySasl2Collection : ICollectionFixture<ProsodySasl2Fixture>
{
    public const string Name = "prosody-sasl2";
}

[CollectionDefinition(Name)]
public sealed class ProsodyCollection : ICollectionFixture<ProsodyFixture>
{
    public const string Name = "prosody";
}
