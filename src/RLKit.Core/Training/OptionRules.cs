using System.Globalization;
using System.Numerics;

namespace RLKit.Training;

/// <summary>
/// The rules options records check in <c>Validate()</c>. Every rule takes (value, bounds, record, option) in that order
/// and throws an <see cref="ArgumentOutOfRangeException"/> whose <see cref="ArgumentException.ParamName"/> is the option
/// and whose message reads "{record}.{option} must be {allowed range}; got {value}.", so that every package reports a
/// bad option the same way. Numbers are written with the invariant culture so messages do not depend on the machine.
/// </summary>
internal static class OptionRules
{
    /// <summary>Requires <paramref name="value"/> in [<paramref name="min"/>, <paramref name="max"/>]; either end can be made exclusive. NaN is rejected.</summary>
    public static void InRange<T>(T value, T min, T max, string record, string option, bool minInclusive = true, bool maxInclusive = true)
        where T : INumber<T>
    {
        bool aboveMin = minInclusive ? value >= min : value > min;
        bool belowMax = maxInclusive ? value <= max : value < max;
        if (!(aboveMin && belowMax))
            throw OutOfRange(value, $"in {(minInclusive ? "[" : "(")}{Format(min)}, {Format(max)}{(maxInclusive ? "]" : ")")}", record, option);
    }

    /// <summary>Requires <paramref name="value"/> in [0, 1].</summary>
    public static void UnitInterval<T>(T value, string record, string option) where T : INumber<T> =>
        InRange(value, T.Zero, T.One, record, option);

    /// <summary>Requires <paramref name="value"/> in (0, 1].</summary>
    public static void HalfOpenUnitInterval<T>(T value, string record, string option) where T : INumber<T> =>
        InRange(value, T.Zero, T.One, record, option, minInclusive: false);

    /// <summary>
    /// Requires <paramref name="value"/> ≥ <paramref name="min"/> (+∞ passes, NaN does not). When the bound is another
    /// option, <paramref name="minName"/> names it in the message.
    /// </summary>
    public static void AtLeast<T>(T value, T min, string record, string option, string? minName = null) where T : INumber<T>
    {
        if (!(value >= min))
            throw OutOfRange(value, minName is null ? $"≥ {Format(min)}" : $"≥ {minName} ({Format(min)})", record, option);
    }

    /// <summary>
    /// Requires <paramref name="value"/> ≤ <paramref name="max"/> (−∞ passes, NaN does not). When the bound is another
    /// option, <paramref name="maxName"/> names it in the message.
    /// </summary>
    public static void AtMost<T>(T value, T max, string record, string option, string? maxName = null) where T : INumber<T>
    {
        if (!(value <= max))
            throw OutOfRange(value, maxName is null ? $"≤ {Format(max)}" : $"≤ {maxName} ({Format(max)})", record, option);
    }

    /// <summary>Requires <paramref name="value"/> &gt; <paramref name="bound"/>; +∞ passes (e.g. "no clipping"), NaN does not.</summary>
    public static void GreaterThan<T>(T value, T bound, string record, string option) where T : INumber<T>
    {
        if (!(value > bound))
            throw OutOfRange(value, $"> {Format(bound)}", record, option);
    }

    /// <summary>Requires a finite <paramref name="value"/> &gt; 0.</summary>
    public static void Positive<T>(T value, string record, string option) where T : INumber<T>
    {
        if (!(T.IsFinite(value) && value > T.Zero))
            throw OutOfRange(value, "finite and > 0", record, option);
    }

    /// <summary>Requires a finite <paramref name="value"/> ≥ 0.</summary>
    public static void NonNegative<T>(T value, string record, string option) where T : INumber<T>
    {
        if (!(T.IsFinite(value) && value >= T.Zero))
            throw OutOfRange(value, "finite and ≥ 0", record, option);
    }

    /// <summary>Requires a finite <paramref name="value"/> (not NaN or ±∞).</summary>
    public static void Finite<T>(T value, string record, string option) where T : INumber<T>
    {
        if (!T.IsFinite(value))
            throw OutOfRange(value, "finite", record, option);
    }

    /// <summary>Requires <paramref name="value"/> to be null (the option is off) or finite.</summary>
    public static void FiniteOrNull<T>(T? value, string record, string option) where T : struct, INumber<T>
    {
        if (value is { } v && !T.IsFinite(v))
            throw OutOfRange(v, "finite or null", record, option);
    }

    /// <summary>Requires <paramref name="value"/> to be null (the option is off) or finite and &gt; 0.</summary>
    public static void PositiveOrNull<T>(T? value, string record, string option) where T : struct, INumber<T>
    {
        if (value is { } v && !(T.IsFinite(v) && v > T.Zero))
            throw OutOfRange(v, "null or finite and > 0", record, option);
    }

    /// <summary>Requires a list of hidden-layer widths, each ≥ 1, and at least one unless <paramref name="allowEmpty"/>.</summary>
    public static void HiddenSizes(IReadOnlyList<int>? sizes, string record, string option, bool allowEmpty = false)
    {
        if (sizes is null || (!allowEmpty && sizes.Count == 0) || sizes.Any(width => width < 1))
            throw OutOfRange(sizes is null ? null : $"[{string.Join(", ", sizes)}]",
                             allowEmpty ? "a list of widths ≥ 1" : "a non-empty list of widths ≥ 1", record, option);
    }

    /// <summary>Requires <paramref name="value"/> to be a named member of <typeparamref name="TEnum"/>.</summary>
    public static void Defined<TEnum>(TEnum value, string record, string option) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw OutOfRange(value, $"one of {string.Join(", ", Enum.GetNames<TEnum>())}", record, option);
    }

    /// <summary>
    /// The rule for what the others do not cover (oddness, a combination of options): requires
    /// <paramref name="satisfied"/>, and otherwise reports <paramref name="allowed"/> as the allowed range.
    /// </summary>
    public static void Require(object? value, bool satisfied, string allowed, string record, string option)
    {
        if (!satisfied)
            throw OutOfRange(value, allowed, record, option);
    }

    private static ArgumentOutOfRangeException OutOfRange(object? value, string allowed, string record, string option) =>
        new(option, value, $"{record}.{option} must be {allowed}; got {Format(value)}.");

    private static string Format(object? value) => value switch
    {
        null => "null",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
