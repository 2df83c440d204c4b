using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace XSend.Cli.State;

/// <summary>
/// A small JSON state file readable only by its owner (0600 in a 0700 directory), changed under
/// an advisory lock (flock on a sibling ".NAME.lock") so concurrent runs never lose each other's
/// updates, and written whole to a private temporary file (UTF-8 without BOM, fsync) that is
/// renamed into place, so a reader never sees half a file.
/// </summary>
internal static class PrivateStateFile
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(2);
    private const long MaxBytes = 1 << 20;

    /// <summary>The document in <paramref name="path"/>, or <see langword="null"/> when there is none.</summary>
    /// <exception cref="IOException">The file exists but cannot be read or is not valid state.</exception>
    public static T? Read<T>(string path, JsonTypeInfo<T> type) where T : class
    {
        if (Directory.Exists(path))
            throw new IOException("it is a directory");
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (!stream.CanSeek || stream.Length > MaxBytes)
                throw new IOException("it is not a regular file of at most 1 MiB");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(bytes, type);
        }
        catch (JsonException ex)
        {
            throw new IOException($"it is not valid xsend state ({ex.Message}); delete it to start afresh", ex);
        }
    }

    /// <summary>
    /// Reads the document under the lock, lets <paramref name="change"/> modify it (a new one when
    /// there is none; it returns false to leave the file alone), and writes it back atomically.
    /// </summary>
    /// <exception cref="IOException">The file or its lock cannot be read or written, or is not valid state.</exception>
    public static void Update<T>(string path, JsonTypeInfo<T> type, Func<T?, T?> change) where T : class
    {
        string directory = EnsureDirectory(path);
        using FileStream lockFile = Lock(Path.Combine(directory, $".{Path.GetFileName(path)}.lock"));
        T? changed = change(Read(path, type));
        if (changed is null)
            return;
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, PrivateFile(FileMode.Create, FileAccess.Write)))
            {
                // Utf8JsonWriter writes no byte order mark.
                JsonSerializer.Serialize(stream, changed, type);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Creates the directory of <paramref name="path"/> (0700) if needed; returns it.</summary>
    public static string EnsureDirectory(string path)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        CreateDirectory(directory);
        return directory;
    }

    /// <summary>Creates <paramref name="directory"/> (0700) if needed.</summary>
    public static void CreateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(directory);
        else
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Options for a file created 0600.</summary>
    public static FileStreamOptions PrivateFile(FileMode mode, FileAccess access, FileShare share = FileShare.None)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }

    /// <summary>Opens <paramref name="path"/> with an exclusive advisory lock, or null when another process holds it.</summary>
    public static FileStream? TryLock(string path)
    {
        try
        {
            // On Unix, FileShare.None takes an advisory flock (LOCK_EX | LOCK_NB); the kernel drops it when the process ends.
            return new FileStream(path, PrivateFile(FileMode.OpenOrCreate, FileAccess.ReadWrite));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    private static FileStream Lock(string path)
    {
        // The lock is held for one read-modify-write (microseconds), so a short bounded wait suffices.
        long start = Environment.TickCount64;
        while (true)
        {
            if (TryLock(path) is { } locked)
                return locked;
            if (Environment.TickCount64 - start > LockWait.TotalMilliseconds)
                throw new IOException($"{path} stayed locked by another xsend for {LockWait.TotalSeconds:0} s");
            Thread.Sleep(10);
        }
    }
}
