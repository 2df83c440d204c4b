using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using XSend.Xmpp;

namespace XSend.IntegrationTests;

/// <summary>
/// A real Prosody on a free loopback port, with its own CA, certificate and accounts, started by
/// scripts/prosody-sandbox.sh (the same script the README demo uses). Prosody must be installed;
/// .ci/run installs it. A missing Prosody fails the suite: it is never skipped.
/// </summary>
public sealed class ProsodyFixture : IAsyncLifetime
{
    public const string Domain = "xsend.test";

    /// <summary>Accounts created for the tests; each test uses its own recipient so they never interfere.</summary>
    public static readonly string[] Users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "henry", "ivan", "judy", "kim", "lena", "mike", "nina", "oscar", "pat", "quinn", "rita", "sam", "tom", "uma", "vic"];

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "xsend-prosody-" + Guid.NewGuid().ToString("N"));

    public int Port { get; private set; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Prosody's XEP-0368 direct TLS port (c2s_direct_tls_ports).</summary>
    public int DirectTlsPort { get; private set; }

    public string CaFile => Path.Combine(Directory, "ca.pem");

    public static string PasswordOf(string user) => $"{user}-pw-Ünï";

    public static Jid JidOf(string user) => Jid.Parse($"{user}@{Domain}");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        Port = FreePort();
        DirectTlsPort = FreePort();
        string[] accounts = Users.Select(u => $"{u}:{PasswordOf(u)}").ToArray();
        (int code, string output) = await RunScriptAsync(["start", Directory, Port.ToString(), Domain, .. accounts]);
        if (code != 0)
            throw new InvalidOperationException($"could not start Prosody (is it installed? apt-get install -y prosody): {output}");
    }

    /// <summary>Stops the server (accounts and stored messages are kept).</summary>
    public async Task StopAsync() => await RunScriptAsync(["stop", Directory]);

    /// <summary>Starts the stopped server again on the same port.</summary>
    public async Task ResumeAsync()
    {
        (int code, string output) = await RunScriptAsync(["resume", Directory, Port.ToString()]);
        if (code != 0)
            throw new InvalidOperationException($"could not restart Prosody: {output}");
    }

    public async Task DisposeAsync()
    {
        await RunScriptAsync(["stop", Directory]);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Client options that trust the sandbox CA.</summary>
    public XmppClientOptions ClientOptions() => new()
    {
        TrustedCertificates = [X509CertificateLoader.LoadCertificateFromFile(CaFile)],
        ResourcePrefix = "receiver",
    };

    /// <summary>Writes a 0600 config file for an account and returns its path.</summary>
    /// <param name="user">The account.</param>
    /// <param name="password">The password to write; by default the right one.</param>
    /// <param name="server">Account:Server; by default Prosody's STARTTLS endpoint, "" for none (SRV lookup).</param>
    /// <param name="dnsServer">Dns:Server, to answer SRV lookups from a test's DNS server.</param>
    public string WriteConfig(string user, string? password = null, string? server = null, string? dnsServer = null)
    {
        string passwordFile = Path.Combine(Directory, $"{user}-{Guid.NewGuid():N}.pw");
        File.WriteAllText(passwordFile, (password ?? PasswordOf(user)) + "\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string config = Path.Combine(Directory, $"{user}-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, $$"""
            {
              "Account": {
                "Jid": "{{user}}@{{Domain}}",
                "PasswordFile": "{{passwordFile}}",
                "Server": "{{server ?? Endpoint}}",
                "CaFile": "{{CaFile}}"
              },
              "Dns": { "Server": "{{dnsServer}}" }
            }
            """);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return config;
    }

    private async Task<(int Code, string Output)> RunScriptAsync(string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DIRECT_TLS_PORT"] = DirectTlsPort.ToString();
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "scripts", "prosody-sandbox.sh"));
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XSend.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (XSend.sln) above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class ProsodyCollection : ICollectionFixture<ProsodyFixture>
{
    public const string Name = "prosody";
}
