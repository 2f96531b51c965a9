using System.Collections;
using System.Globalization;
using System.Text;

namespace RLKit.Training;

/// <summary>
/// The list an options record keeps for a list-valued option (<c>HiddenSizes</c>, ...): a read-only copy that prints as
/// <c>[64, 64]</c> and compares by its items, so a record's <c>ToString</c> shows the values (rather than the compiler's
/// <c>&lt;&gt;z__ReadOnlyArray</c>) and two records with the same lists are equal. Records wrap every value on the way
/// in: <c>public IReadOnlyList&lt;int&gt; HiddenSizes { get; init =&gt; field = OptionList.From(value); } = OptionList.Of(64, 64);</c>.
/// </summary>
internal static class OptionList
{
    /// <summary>A list of <paramref name="items"/>.</summary>
    public static IReadOnlyList<T> Of<T>(params ReadOnlySpan<T> items) => new OptionList<T>(items.ToArray());

    /// <summary>A read-only copy of <paramref name="items"/> (null stays null, so validation can name the option).</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(items))]
    public static IReadOnlyList<T>? From<T>(IReadOnlyList<T>? items) => items switch
    {
        null => null,
        OptionList<T> list => list,
        _ => new OptionList<T>([.. items]),
    };

    /// <summary>A read-only copy of a list of lists, each inner list a copy too (null stays null).</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(items))]
    public static IReadOnlyList<IReadOnlyList<T>>? FromNested<T>(IReadOnlyList<IReadOnlyList<T>>? items) =>
        items is null ? null : new OptionList<IReadOnlyList<T>>([.. items.Select(inner => From(inner)!)]);

    /// <summary>Formats <paramref name="value"/> as option text: lists as <c>[a, b]</c> (nested too), numbers invariantly.</summary>
    internal static void Append(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                text.Append(s);
                break;
            case IFormattable formattable:
                text.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            case IEnumerable items:
                text.Append('[');
                bool first = true;
                foreach (var item in items)
                {
                    if (!first) text.Append(", ");
                    first = false;
                    Append(text, item);
                }
                text.Append(']');
                break;
            default:
                text.Append(value);
                break;
        }
    }
}

/// <summary>The read-only, value-equal, readable list of <see cref="OptionList"/>.</summary>
internal sealed class OptionList<T>(T[] items) : IReadOnlyList<T>, IEquatable<OptionList<T>>
{
    public T this[int index] => items[index];

    public int Count => items.Length;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    public bool Equals(OptionList<T>? other) =>
        other is not null && items.AsSpan().SequenceEqual(other.AsSpan(), EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is OptionList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in items) hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        OptionList.Append(text, this);
        return text.ToString();
    }

    private ReadOnlySpan<T> AsSpan() => items;
}
