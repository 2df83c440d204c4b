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
/// only the wasted parsing goes. .NET reads the native environment, so this calls setenv.
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
