namespace XSend.IntegrationTests;

/// <summary>
/// A real Prosody 0.12, started by scripts/prosody-sandbox.sh with STARTTLS and direct TLS
/// (c2s_direct_tls_ports) listeners. .ci/run installs Prosody.
/// </summary>
public sealed class ProsodyFixture() : SandboxServerFixture("prosody")
{
    /// <summary>Accounts created for the tests; each test uses its own recipient so they never interfere.</summary>
    public static readonly string[] Users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "henry", "ivan", "judy", "kim", "lena", "mike", "nina", "oscar", "pat", "quinn", "rita", "sam", "tom", "uma", "vic", "walt", "xena"];

    private Dictionary<string, string> Environment => new() { ["DIRECT_TLS_PORT"] = DirectTlsPort.ToString() };

    public override async Task InitializeAsync()
    {
        (int code, string output) = await RunScriptAsync("prosody-sandbox.sh", Environment,
            ["start", Directory, Port.ToString(), Domain, .. Accounts(Users)]);
        if (code != 0)
            throw new InvalidOperationException($"could not start Prosody (is it installed? apt-get install -y prosody): {output}");
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

[CollectionDefinition(Name)]
public sealed class ProsodyCollection : ICollectionFixture<ProsodyFixture>
{
    public const string Name = "prosody";
}
