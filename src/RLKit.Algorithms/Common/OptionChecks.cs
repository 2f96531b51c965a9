namespace RLKit.Algorithms.Common;

/// <summary>Range checks for option records: each failure names the record, the option and the allowed range.</summary>
internal static class OptionChecks
{
    public static void InRange(double value, double min, double max, string record, string option, bool minInclusive = true)
    {
        bool aboveMin = minInclusive ? value >= min : value > min;
        if (!(aboveMin && value <= max))
            throw new ArgumentOutOfRangeException(option, value,
                $"{record}.{option} must lie in {(minInclusive ? "[" : "(")}{min}, {max}], got {value}.");
    }

    public static void AtLeast(long value, long min, string record, string option)
    {
        if (value < min)
            throw new ArgumentOutOfRangeException(option, value, $"{record}.{option} must be at least {min}, got {value}.");
    }

    public static void Positive(double value, string record, string option)
    {
        if (!(value > 0 && double.IsFinite(value)))
            throw new ArgumentOutOfRangeException(option, value, $"{record}.{option} must be a positive finite number, got {value}.");
    }

    public static void NonNegative(double value, string record, string option)
    {
        if (!(value >= 0 && double.IsFinite(value)))
            throw new ArgumentOutOfRangeException(option, value, $"{record}.{option} must be a finite number ≥ 0, got {value}.");
    }

    public static void HiddenSizes(IReadOnlyList<int>? sizes, string record, string option)
    {
        if (sizes is null || sizes.Count == 0 || sizes.Any(s => s < 1))
            throw new ArgumentOutOfRangeException(option, sizes is null ? "null" : $"[{string.Join(", ", sizes)}]",
                $"{record}.{option} must list at least one hidden width, each ≥ 1.");
    }
}
