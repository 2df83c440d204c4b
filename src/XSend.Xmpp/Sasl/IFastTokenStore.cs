namespace XSend.Xmpp.Sasl;

/// <summary>Keeps each account's XEP-0484 (FAST) token between runs; the caller decides where and how safely.</summary>
public interface IFastTokenStore
{
    /// <summary>The stored token for <paramref name="account"/>, or <see langword="null"/>.</summary>
    FastToken? Load(Jid account);

    /// <summary>Stores a newly issued token, or forgets the account's token when <paramref name="token"/> is null.</summary>
    void Save(Jid account, FastToken? token);
}
