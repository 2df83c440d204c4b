using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using XSend.Xmpp;

namespace XSend.IntegrationTests;

/// <summary>
/// A real XMPP server on free loopback ports for the domain <see cref="Domain"/>, with its own
/// CA, certificate and accounts, started by one of the scripts/*-sandbox.sh scripts (the same
/// ones the README demo and the benchmark use). A server that cannot start fails the suite: it
/// is never skipped.
/// </summary>
public abstract class SandboxServerFixture : IAsyncLifetime
{
    public const string Domain = "xsend.test";

    protected SandboxServerFixture(string server) =>
        Directory = Path.Combine(Path.GetTempPath(), $"xsend-{server}-{Guid.NewGuid():N}");

    public string Directory { get; }

    /// <summary>The STARTTLS c2s port.</summary>
    public int Port { get; } = FreePort();

    /// <summary>The XEP-0368 direct TLS c2s port.</summary>
    public int DirectTlsPort { get; } = FreePort();

    public string Endpoint => $"127.0.0.1:{Port}";

    public string CaFile => Path.Combine(Directory, "ca.pem");

    public static string PasswordOf(string user) => $"{user}-pw-Ünï";

    public static Jid JidOf(string user) => Jid.Parse($"{user}@{Domain}");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Accounts "user:password" for <paramref name="users"/>.</summary>
    protected static string[] Accounts(IEnumerable<string> users) => users.Select(u => $"{u}:{PasswordOf(u)}").ToArray();

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>Client options that trust the sandbox CA.</summary>
    public XmppClientOptions ClientOptions() => new()
    {
        TrustedCertificates = [X509CertificateLoader.LoadCertificateFromFile(CaFile)],
        ResourcePrefix = "receiver",
    };

    /// <summary>Writes a 0600 config file for an account and returns its path.</summary>
    /// <param name="user">The account.</param>
    /// <param name="password">The password to write; by default the right one.</param>
    /// <param name="server">Account:Server; by default the STARTTLS endpoint, "" for none (SRV lookup).</param>
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

    /// <summary>Runs scripts/<paramref name="script"/> with the given environment; bounded to 60 s.</summary>
    protected static async Task<(int Code, string Output)> RunScriptAsync(string script, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string name, string value) in environment)
            start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "scripts", script));
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Removes the sandbox directory, best effort.</summary>
    protected void DeleteDirectory()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    protected internal static int FreePort()
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
