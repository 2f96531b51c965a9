namespace RLKit.Algorithms.Common;

/// <summary>Range checks for options records; each error names the option and its allowed range.</summary>
internal static class OptionGuard
{
    public static void Positive(float value, string name, string owner)
    {
        if (!(float.IsFinite(value) && value > 0f))
            throw new ArgumentOutOfRangeException(name, value, $"{owner}.{name} must be finite and > 0.");
    }

    public static void AtLeast(int value, int minimum, string name, string owner)
    {
        if (value < minimum)
            throw new ArgumentOutOfRangeException(name, value, $"{owner}.{name} must be ≥ {minimum}.");
    }

    public static void Unit(float value, string name, string owner)
    {
        if (!(value >= 0f && value <= 1f))
            throw new ArgumentOutOfRangeException(name, value, $"{owner}.{name} must be in [0, 1].");
    }

    public static void HalfOpenUnit(float value, string name, string owner)
    {
        if (!(value > 0f && value <= 1f))
            throw new ArgumentOutOfRangeException(name, value, $"{owner}.{name} must be in (0, 1].");
    }

    public static void HiddenSizes(IReadOnlyList<int>? sizes, bool dueling, string name, string owner)
    {
        if (sizes is null)
            throw new ArgumentOutOfRangeException(name, null, $"{owner}.{name} must be a list of widths ≥ 1, not null.");
        foreach (int width in sizes)
            if (width < 1)
                throw new ArgumentOutOfRangeException(name, width, $"{owner}.{name} must hold widths ≥ 1, got [{string.Join(", ", sizes)}].");
        if (dueling && sizes.Count == 0)
            throw new ArgumentOutOfRangeException(name, 0, $"{owner}.{name} must hold at least one width when Dueling is on (the shared trunk).");
    }
}
