namespace XSend.Cli.Input;

/// <summary>
/// Reads a file the user named (config, password, CA, message) with a size cap and under a
/// deadline, so /dev/zero, a directory or a FIFO with no writer costs one clear line, not memory
/// or a hang.
/// </summary>
internal static class LocalFile
{
    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> bytes of <paramref name="path"/>.
    /// </summary>
    /// <exception cref="IOException">The path is a directory, the file is larger than the cap, or it cannot be read; the message says which.</exception>
    /// <exception cref="TimeoutException">Nothing ended the read before <paramref name="cancellationToken"/> fired (a FIFO with no writer, a stalled device).</exception>
    public static async Task<byte[]> ReadAsync(string path, int maxBytes, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(path))
            throw new IOException("it is a directory");
        // open(2) of a FIFO blocks until a writer comes, and a read from a device may never end;
        // neither can be cancelled, so the read runs on the thread pool and is abandoned at the deadline.
        Task<byte[]> read = Task.Run(() => ReadCapped(path, maxBytes), CancellationToken.None);
        try
        {
            return await read.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = read.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            throw new TimeoutException("nothing came before the deadline: is it a FIFO with no writer?");
        }
    }

    /// <summary>The synchronous form, for settings that are loaded before anything else runs.</summary>
    /// <inheritdoc cref="ReadAsync"/>
    public static byte[] Read(string path, int maxBytes, CancellationToken cancellationToken = default) =>
        ReadAsync(path, maxBytes, cancellationToken).GetAwaiter().GetResult();

    private static byte[] ReadCapped(string path, int maxBytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.None);
        byte[] buffer = new byte[Math.Min(maxBytes + 1, 64 * 1024)];
        var content = new MemoryStream();
        int read;
        while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
        {
            content.Write(buffer, 0, read);
            if (content.Length > maxBytes)
                throw new LocalFileTooLargeException($"it is larger than the {maxBytes}-byte limit");
        }
        return content.ToArray();
    }
}

/// <summary>A local file is larger than its reader's cap.</summary>
internal sealed class LocalFileTooLargeException(string message) : IOException(message);
