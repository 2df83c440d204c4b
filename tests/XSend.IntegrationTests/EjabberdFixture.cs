namespace XSend.IntegrationTests;

/// <summary>
/// A real ejabberd 23.01, started by scripts/ejabberd-sandbox.sh: STARTTLS, direct TLS, and a
/// STARTTLS listener limited to TLS 1.2, where ejabberd's SCRAM-SHA-1-PLUS (tls-unique) is
/// defined. It runs as the ejabberd user, so the suite needs root (CI runs as root) or the
/// sudo rights to become it. .ci/run installs ejabberd.
/// </summary>
public sealed class EjabberdFixture() : SandboxServerFixture("ejabberd")
{
    /// <summary>
    /// Accounts created for the tests; each test reads its own recipient so they never interfere,
    /// and messages nobody reads go to "sink".
    /// </summary>
    public static readonly string[] Users = ["alice", "bob", "carol", "dave", "erin", "frank", "gus", "sink"];

    /// <summary>A STARTTLS port that offers TLS 1.2 only.</summary>
    public int Tls12Port { get; } = FreePort();

    private readonly int _distributionPort = FreePort();

    private Dictionary<string, string> Environment => new()
    {
        ["DIST_PORT"] = _distributionPort.ToString(),
        ["DIRECT_TLS_PORT"] = DirectTlsPort.ToString(),
        ["TLS12_PORT"] = Tls12Port.ToString(),
    };

    public override async Task InitializeAsync()
    {
        (int code, string output) = await RunScriptAsync("ejabberd-sandbox.sh", Environment,
            ["start", Directory, Port.ToString(), Domain, .. Accounts(Users)]);
        if (code != 0)
            throw new InvalidOperationException($"could not start ejabberd (is it installed? apt-get install -y ejabberd): {output}");
    }

    public override async Task DisposeAsync()
    {
        await RunScriptAsync("ejabberd-sandbox.sh", Environment, "stop", Directory);
        DeleteDirectory();
    }
}

[CollectionDefinition(Name)]
public sealed class EjabberdCollection : ICollectionFixture<EjabberdFixture>
{
    public const string Name = "ejabberd";
}
