using System.Runtime.InteropServices;

namespace XSend.Cli.Platform;

/// <summary>
/// The process's stdin, stdout and stderr, usable even when the caller closed them
/// (<c>xsend … &lt;&amp;- 2&gt;&amp;-</c>, as cron jobs and daemons sometimes do).
/// </summary>
/// <remarks>
/// A closed descriptor 0, 1 or 2 is pointed at /dev/null before anything else runs: otherwise
/// .NET aborts opening it, and the next file or socket xsend opens would take its number and
/// receive what was meant for the terminal. The runtime itself may already have taken the
/// number before <c>Main</c> (Native AOT opens /dev/urandom, the JIT host a pipe): such a
/// descriptor carries FD_CLOEXEC, which no descriptor inherited across exec(2) can, and is
/// then treated as closed. Writes that still fail are dropped, so a failure exits with its own
/// code even with stderr gone.
/// </remarks>
internal static partial class StandardStreams
{
    private const int GetDescriptorFlags = 1; // F_GETFD
    private const int CloseOnExec = 1; // FD_CLOEXEC
    private const int ReadWrite = 2; // O_RDWR

    private static readonly bool[] Unusable = new bool[3];

    [LibraryImport("libc.so.6", EntryPoint = "fcntl")]
    private static partial int Fcntl(int descriptor, int command);

    [LibraryImport("libc.so.6", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    /// <summary>Points each closed standard descriptor at /dev/null; notes those the runtime took. Call first in Main.</summary>
    public static void ReopenClosed()
    {
        if (!OperatingSystem.IsLinux())
            return;
        for (int descriptor = 0; descriptor <= 2; descriptor++)
        {
            int flags = Fcntl(descriptor, GetDescriptorFlags);
            if (flags < 0)
                Unusable[descriptor] = Open("/dev/null", ReadWrite) != descriptor; // open(2) takes the lowest free number: this one
            else if ((flags & CloseOnExec) != 0)
                Unusable[descriptor] = true;
        }
    }

    /// <summary>Whether stdin was closed when xsend started (it reads as empty then).</summary>
    public static bool InputClosed => Unusable[0];

    /// <summary>Standard input, or an empty stream when it was closed or cannot be opened.</summary>
    public static Stream OpenInput()
    {
        if (Unusable[0])
            return Stream.Null;
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
    public static TextWriter Output => new BestEffortWriter(Unusable[1] ? TextWriter.Null : Console.Out);

    /// <summary>Standard error, dropping what cannot be written.</summary>
    public static TextWriter Error => new BestEffortWriter(Unusable[2] ? TextWriter.Null : Console.Error);
}
