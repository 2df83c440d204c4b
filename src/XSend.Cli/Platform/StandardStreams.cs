using System.Runtime.InteropServices;

namespace XSend.Cli.Platform;

/// <summary>
/// The process's stdin, stdout and stderr, usable even when the caller closed them
/// (<c>xsend … &lt;&amp;- 2&gt;&amp;-</c>, as cron jobs and daemons sometimes do).
/// </summary>
/// <remarks>
/// A closed descriptor 0, 1 or 2 is pointed at /dev/null before anything else runs: otherwise
/// .NET aborts opening it, and the next file or socket xsend opens would take its number and
/// receive what was meant for the terminal. Writes that still fail are dropped, so a failure
/// exits with its own code even with stderr gone.
/// </remarks>
internal static partial class StandardStreams
{
    private const int GetDescriptorFlags = 1; // F_GETFD
    private const int ReadWrite = 2; // O_RDWR

    [LibraryImport("libc.so.6", EntryPoint = "fcntl")]
    private static partial int Fcntl(int descriptor, int command);

    [LibraryImport("libc.so.6", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    /// <summary>Points each closed standard descriptor at /dev/null.</summary>
    public static void ReopenClosed()
    {
        if (!OperatingSystem.IsLinux())
            return;
        for (int descriptor = 0; descriptor <= 2; descriptor++)
        {
            // open(2) returns the lowest free descriptor: the closed one.
            if (Fcntl(descriptor, GetDescriptorFlags) < 0)
                _ = Open("/dev/null", ReadWrite);
        }
    }

    /// <summary>Standard input, or an empty stream when it cannot be opened.</summary>
    public static Stream OpenInput()
    {
        try
        {
            return Console.OpenStandardInput();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Stream.Null;
        }
    }

    /// <summary>Standard output, dropping what cannot be written.</summary>
    public static TextWriter Output => new BestEffortWriter(Console.Out);

    /// <summary>Standard error, dropping what cannot be written.</summary>
    public static TextWriter Error => new BestEffortWriter(Console.Error);
}
