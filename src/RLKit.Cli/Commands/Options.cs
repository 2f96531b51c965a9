using System.CommandLine;
using System.CommandLine.Parsing;
using System.Numerics;

namespace RLKit.Cli.Commands;

/// <summary>Range checks on numeric options, reported as parse errors that name the option, its range and the value given.</summary>
internal static class Options
{
    /// <summary>The value given on the command line, or null when it was not given or is not a number (which the parser reports itself).</summary>
    private static T? Value<T>(OptionResult result) where T : struct
    {
        if (result.Implicit || result.Tokens.Count == 0) return null;
        try
        {
            return result.GetValueOrDefault<T?>();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static void AtLeast<T>(Option<T> option, T min) where T : struct, INumber<T> =>
        option.Validators.Add(result =>
        {
            if (Value<T>(result) is { } value && value < min)
                result.AddError($"{option.Name} must be at least {min} (got {value}).");
        });

    public static void AtLeast<T>(Option<T?> option, T min) where T : struct, INumber<T> =>
        option.Validators.Add(result =>
        {
            if (Value<T>(result) is { } value && value < min)
                result.AddError($"{option.Name} must be at least {min} (got {value}).");
        });

    public static void InRange<T>(Option<T?> option, T min, T max) where T : struct, INumber<T> =>
        option.Validators.Add(result =>
        {
            if (Value<T>(result) is { } value && (value < min || value > max))
                result.AddError($"{option.Name} must be in [{min}, {max}] (got {value}).");
        });
}
