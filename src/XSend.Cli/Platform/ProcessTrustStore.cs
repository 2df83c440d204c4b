using System.Runtime.InteropServices;

namespace XSend.Cli.Platform;

/// <summary>
/// Keeps .NET from loading the whole system trust store when this run does not use it.
/// </summary>
/// <remarks>
/// On Linux, .NET parses every certificate in <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c>
/// (on Debian the same ~150 roots twice) before any chain is checked, even one with a custom
/// root: about 45 ms of a 60 ms send. When the run trusts only a CA file, a pin, or nothing
/// (--insecure), those variables are pointed at the CA file alone before the first TLS
/// handshake. Verification is unchanged (it never consulted the system roots in these modes);
/// only the wasted parsing goes. .NET reads these variables from the native environment
/// (getenv, when its cached store provider first loads), so this calls setenv.
/// <para>
/// It stays, because it is most of a send's time with --ca-file, --pin or --insecure (the
/// benchmark's own setup), and no managed setting skips the load: a custom-root chain still
/// loads the system store for its intermediates. A process-wide setenv is safe here because
/// of when and where it happens: only in the real process (<see cref="CliEnvironment.LimitTrustStore"/>
/// is false in tests, which run many commands in one process), once, from
/// <c>RunContext.Prepare</c>, which every command calls before it starts anything else: before
/// the first DNS lookup (getaddrinfo reads the environment on pool threads), the first TLS
/// handshake (the store is read once and cached, so it must not have been loaded yet), and the
/// read of stdin. At that point the process runs no code of its own on another thread, and
/// the runtime's threads (GC, finalizer, the signal thread of <see cref="EarlySignals"/>) do not
/// read the environment after startup, so glibc's unlocked getenv cannot race this setenv.
/// </para>
/// </remarks>
internal static partial class ProcessTrustStore
{
    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironmentVariable(string name, string value, int overwrite);

    /// <summary>Points the process's system trust store at <paramref name="caFile"/> only, or at nothing.</summary>
    public static void LimitTo(string? caFile)
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            SetEnvironmentVariable("SSL_CERT_FILE", caFile ?? "/dev/null", 1);
            SetEnvironmentVariable("SSL_CERT_DIR", "", 1);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: the store loads as usual; only slower.
        }
    }
}
