using System.Globalization;
using System.Text.Json;

namespace XSend.Cli.Outbox;

/// <summary>
/// The local spool for alerts that could not be delivered in time. Each file holds one alert,
/// or one run's unsent batch, written atomically (temporary file, fsync, rename) with mode 0600
/// in a 0700 directory; names sort oldest first. Alerts that can never be delivered are set
/// aside as <c>.rejected</c> files (with the reason), unreadable files as <c>.corrupt</c>.
/// Reading (<see cref="Scan"/>) never changes anything; only a run holding the drain lock does.
/// </summary>
internal sealed class OutboxStore(string directory, TimeSpan maxAge)
{
    /// <summary>Queued alert files (one alert or a batch).</summary>
    public const string Extension = ".alert.json";

    /// <summary>Suffix of an alert set aside as undeliverable.</summary>
    public const string RejectedSuffix = ".rejected";

    /// <summary>Suffix of a file set aside as unreadable.</summary>
    public const string CorruptSuffix = ".corrupt";

    /// <summary>At most this many files are read per scan: a bound on the work of one run.</summary>
    public const int MaxFiles = 100_000;

    private const string LockName = ".drain.lock";

    // A held lock: on Unix .NET carries flock's errno (EWOULDBLOCK: 11 on Linux, 35 on the BSDs
    // and macOS) as the HResult; on Windows it is ERROR_SHARING_VIOLATION.
    private const int EWouldBlockLinux = 11;
    private const int EWouldBlockBsd = 35;
    private const int SharingViolation = 32;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // A batch can hold 100,000 alerts: written compactly; single alerts stay readable.
    private static readonly OutboxJsonContext Compact = new(new JsonSerializerOptions { WriteIndented = false });

    public string Directory { get; } = directory;

    public TimeSpan MaxAge { get; } = maxAge;

    /// <summary>Test seam: opens a file for writing (a fake can fail like a full disk).</summary>
    public Func<string, FileStreamOptions, Stream> OpenForWriting { get; init; } = (path, options) => new FileStream(path, options);

    /// <summary>Stores alerts as one file (one alert, or a batch); returns the file's path.</summary>
    /// <exception cref="IOException">The outbox cannot be created or written (nothing is left behind).</exception>
    /// <exception cref="UnauthorizedAccessException">The outbox is not writable.</exception>
    public string Enqueue(IReadOnlyList<OutboxEntry> entries)
    {
        ArgumentOutOfRangeException.ThrowIfZero(entries.Count);
        EnsureDirectory();
        string path = Path.Combine(Directory, FileName(entries[0]) + Extension);
        WriteAtomically(path, Serialize(entries), replace: false);
        return path;
    }

    /// <summary>Stores one alert; returns the file's path.</summary>
    public string Enqueue(OutboxEntry entry) => Enqueue([entry]);

    /// <summary>
    /// Replaces a queued file's alerts with <paramref name="remaining"/> atomically (a batch
    /// partly delivered keeps only the rest), or deletes the file when none remain.
    /// </summary>
    public void Rewrite(string path, IReadOnlyList<OutboxEntry> remaining)
    {
        if (remaining.Count == 0)
            Remove(path);
        else
            WriteAtomically(path, Serialize(remaining), replace: true);
    }

    /// <summary>Sets an alert aside as undeliverable, with the reason; returns the <c>.rejected</c> file's path.</summary>
    public string SetAside(OutboxEntry entry, string reason, DateTimeOffset now)
    {
        string path = Path.Combine(Directory, FileName(entry) + Extension + RejectedSuffix);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(new RejectedAlert(entry, reason, now), OutboxJsonContext.Default.RejectedAlert);
        WriteAtomically(path, json, replace: true);
        return path;
    }

    /// <summary>Renames an unreadable file to <c>.corrupt</c>, out of the way of later runs; returns the new path.</summary>
    public static string SetAsideUnreadable(string path)
    {
        File.Move(path, path + CorruptSuffix, overwrite: true);
        return path + CorruptSuffix;
    }

    /// <summary>
    /// Reads the outbox without changing it: queued files oldest first (at most
    /// <see cref="MaxFiles"/>), alerts set aside, and files that cannot be read.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be listed.</exception>
    public OutboxContents Scan()
    {
        if (!System.IO.Directory.Exists(Directory))
            return OutboxContents.Empty;
        var files = new List<QueuedFile>();
        var rejected = new List<(string, RejectedAlert)>();
        var unreadable = new List<(string, string)>();
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory).Order(StringComparer.Ordinal).Take(MaxFiles))
        {
            string name = Path.GetFileName(path);
            if (name.StartsWith('.'))
                continue; // the lock, temporary files
            if (name.EndsWith(Extension, StringComparison.Ordinal))
            {
                if (TryRead(path, out List<OutboxEntry>? alerts, out string? problem))
                    files.Add(new QueuedFile(path, alerts));
                else
                    unreadable.Add((path, problem));
            }
            else if (name.EndsWith(Extension + RejectedSuffix, StringComparison.Ordinal))
            {
                if (TryReadRejected(path, out RejectedAlert? alert, out string? problem))
                    rejected.Add((path, alert));
                else
                    unreadable.Add((path, problem));
            }
            else if (name.EndsWith(CorruptSuffix, StringComparison.Ordinal))
            {
                unreadable.Add((path, "set aside earlier as unreadable"));
            }
        }
        return new OutboxContents(files, rejected, unreadable);
    }

    /// <summary>Whether <paramref name="entry"/> has waited longer than <see cref="MaxAge"/>.</summary>
    public bool IsExpired(OutboxEntry entry, DateTimeOffset now) => now - entry.Created > MaxAge;

    /// <summary>
    /// Takes the drain lock (an flock on <c>.drain.lock</c>, created 0600), or returns null when
    /// another process holds it. A symbolic link in the lock's place is refused, never followed.
    /// </summary>
    /// <exception cref="IOException">The outbox cannot be created, or the lock file is not a regular file.</exception>
    public IDisposable? TryLockForDraining()
    {
        EnsureDirectory();
        string path = Path.Combine(Directory, LockName);
        RefuseLink(path);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = PrivateFile;
        FileStream stream;
        try
        {
            // On Unix, FileShare.None takes an advisory flock: two xsends never drain at once.
            stream = new FileStream(path, options);
        }
        catch (IOException held) when (held.HResult is EWouldBlockLinux or EWouldBlockBsd || (held.HResult & 0xFFFF) == SharingViolation)
        {
            return null; // another process holds the flock; any other error (read-only, ...) is the outbox's problem
        }
        try
        {
            // Checked again on the open file's path: the directory is 0700, so only we could swap it.
            RefuseLink(path);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(stream.SafeFileHandle, PrivateFile); // an older 0644 lock file is tightened
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Deletes temporary files older than an hour: left by a run killed mid-write (kill -9, a
    /// power cut). Younger ones may be another run's write in progress. Only under the drain lock.
    /// </summary>
    public void RemoveStaleTemporaryFiles(DateTimeOffset now)
    {
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, ".*.tmp").Take(MaxFiles))
        {
            if (now - File.GetLastWriteTimeUtc(path) > TimeSpan.FromHours(1))
                Remove(path);
        }
    }

    /// <summary>Deletes a file; a file already gone is fine.</summary>
    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (FileNotFoundException)
        {
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static void RefuseLink(string path)
    {
        if (new FileInfo(path).LinkTarget is { } target)
            throw new IOException($"{path} is a symbolic link (to {target}); refusing to follow it");
    }

    private static string FileName(OutboxEntry entry)
    {
        // The id is checked (QueuedAlerts.Problem) before an entry from disk is named; a bad one never makes a path.
        string id = QueuedAlerts.IsSafeId(entry.Id) ? entry.Id : "malformed-" + Guid.NewGuid().ToString("N");
        return $"{entry.Created.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff", CultureInfo.InvariantCulture)}-{id}";
    }

    private static byte[] Serialize(IReadOnlyList<OutboxEntry> entries) => entries.Count == 1
        ? JsonSerializer.SerializeToUtf8Bytes(entries[0], OutboxJsonContext.Default.OutboxEntry)
        : JsonSerializer.SerializeToUtf8Bytes(new OutboxBatch([.. entries]), Compact.OutboxBatch);

    private void WriteAtomically(string path, byte[] json, bool replace)
    {
        string temporary = Path.Combine(Directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = PrivateFile;
        try
        {
            using (Stream stream = OpenForWriting(temporary, options))
            {
                stream.Write(json);
                if (stream is FileStream file)
                    file.Flush(flushToDisk: true); // fsync before the rename makes it visible
                else
                    stream.Flush();
            }
            File.Move(temporary, path, overwrite: replace);
        }
        catch
        {
            Remove(temporary); // a full disk must not leave half-written files behind
            throw;
        }
    }

    private static bool TryRead(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out List<OutboxEntry>? alerts,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        alerts = null;
        problem = null;
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            // A batch is an object with "Alerts"; a single alert has none, so it parses as a batch without them.
            if (JsonSerializer.Deserialize(bytes, OutboxJsonContext.Default.OutboxBatch) is { Alerts: { } batch })
            {
                if (batch.Any(a => a is null))
                    throw new JsonException("a batch holds an empty entry");
                alerts = batch;
            }
            else
            {
                alerts = [JsonSerializer.Deserialize(bytes, OutboxJsonContext.Default.OutboxEntry) ?? throw new JsonException("empty")];
            }
            return true;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            problem = ex.Message;
            return false;
        }
    }

    private static bool TryReadRejected(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RejectedAlert? alert,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        alert = null;
        problem = null;
        try
        {
            alert = JsonSerializer.Deserialize(File.ReadAllBytes(path), OutboxJsonContext.Default.RejectedAlert);
            if (alert?.Alert is null)
                throw new JsonException("no alert in the file");
            return true;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            problem = ex.Message;
            return false;
        }
    }

    private void EnsureDirectory()
    {
        if (System.IO.Directory.Exists(Directory))
            return;
        if (File.Exists(Directory))
            throw new IOException($"{Directory} is a file, not a directory");
        if (OperatingSystem.IsWindows())
            System.IO.Directory.CreateDirectory(Directory);
        else
            System.IO.Directory.CreateDirectory(Directory, PrivateDirectory);
    }
}
