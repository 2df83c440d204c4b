namespace XSend.Xmpp.Protocol;

/// <summary>
/// A queue for stanzas nobody has asked for yet, bounded by count and by a total weight
/// (characters): when either bound is passed the oldest entries are dropped and counted, so a
/// server pushing stanzas faster than the caller reads them costs bounded memory.
/// </summary>
internal sealed class BoundedQueue<T>(int maxCount, long maxWeight, Func<T, long> weigh)
{
    private readonly Queue<(T Item, long Weight)> _items = new();
    private long _weight;

    /// <summary>How many entries were dropped to stay within the bounds.</summary>
    public long Dropped { get; private set; }

    public int Count => _items.Count;

    /// <summary>Adds <paramref name="item"/>, dropping the oldest entries as needed; one heavier than the whole budget is dropped itself.</summary>
    public void Enqueue(T item)
    {
        long weight = weigh(item);
        if (weight > maxWeight)
        {
            Dropped++;
            return;
        }
        while (_items.Count > 0 && (_items.Count >= maxCount || _weight + weight > maxWeight))
        {
            _weight -= _items.Dequeue().Weight;
            Dropped++;
        }
        _items.Enqueue((item, weight));
        _weight += weight;
    }

    public bool TryDequeue(out T item)
    {
        if (_items.TryDequeue(out var entry))
        {
            _weight -= entry.Weight;
            item = entry.Item;
            return true;
        }
        item = default!;
        return false;
    }
}
