using System.Globalization;
using RLKit.Data;
using RLKit.Training;

namespace RLKit.Core.Tests.Training;

[TestFixture]
public sealed class OptionRulesTests
{
    private const string Record = "SomeOptions";
    private const string Option = "SomeOption";

    private enum Flavour { Sweet, Sour }

    private static readonly float Below0 = MathF.BitDecrement(0f);
    private static readonly float Above0 = MathF.BitIncrement(0f);
    private static readonly float Below1 = MathF.BitDecrement(1f);
    private static readonly float Above1 = MathF.BitIncrement(1f);

    /// <summary>Asserts that <paramref name="check"/> rejects with ParamName = the option and "Record.Option must be {allowed}; got {got}.".</summary>
    private static void AssertRejects(TestDelegate check, string allowed, string got)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(check)!;
        Assert.That(error.ParamName, Is.EqualTo(Option));
        Assert.That(error.Message, Does.StartWith($"{Record}.{Option} must be {allowed}; got {got}."));
    }

    private static void AssertRejects(TestDelegate check, string allowed) =>
        Assert.That(check, Throws.TypeOf<ArgumentOutOfRangeException>()
                                 .With.Property(nameof(ArgumentException.ParamName)).EqualTo(Option)
                                 .And.Message.StartWith($"{Record}.{Option} must be {allowed}; got "));

    [Test]
    public void InRange_accepts_both_ends_and_rejects_just_outside_and_non_numbers()
    {
        Assert.DoesNotThrow(() => OptionRules.InRange(-1, -1, 2, Record, Option));
        Assert.DoesNotThrow(() => OptionRules.InRange(2, -1, 2, Record, Option));
        AssertRejects(() => OptionRules.InRange(-2, -1, 2, Record, Option), "in [-1, 2]", "-2");
        AssertRejects(() => OptionRules.InRange(3, -1, 2, Record, Option), "in [-1, 2]", "3");
        AssertRejects(() => OptionRules.InRange(MathF.BitIncrement(2f), -1f, 2f, Record, Option), "in [-1, 2]");
        AssertRejects(() => OptionRules.InRange(float.NaN, -1f, 2f, Record, Option), "in [-1, 2]", "NaN");
        AssertRejects(() => OptionRules.InRange(double.PositiveInfinity, -1, 2, Record, Option), "in [-1, 2]", "Infinity");
        AssertRejects(() => OptionRules.InRange(double.NegativeInfinity, -1, 2, Record, Option), "in [-1, 2]", "-Infinity");
    }

    [Test]
    public void InRange_with_exclusive_ends_rejects_the_ends_and_accepts_their_neighbours()
    {
        Assert.DoesNotThrow(() => OptionRules.InRange(Above0, 0f, 1f, Record, Option, minInclusive: false, maxInclusive: false));
        Assert.DoesNotThrow(() => OptionRules.InRange(Below1, 0f, 1f, Record, Option, minInclusive: false, maxInclusive: false));
        AssertRejects(() => OptionRules.InRange(0f, 0f, 1f, Record, Option, minInclusive: false, maxInclusive: false), "in (0, 1)", "0");
        AssertRejects(() => OptionRules.InRange(1f, 0f, 1f, Record, Option, minInclusive: false, maxInclusive: false), "in (0, 1)", "1");
        AssertRejects(() => OptionRules.InRange(1f, 0f, 1f, Record, Option, maxInclusive: false), "in [0, 1)", "1");
        AssertRejects(() => OptionRules.InRange(0.0, 0.0, 0.2, Record, Option, minInclusive: false), "in (0, 0.2]", "0");
    }

    [Test]
    public void UnitInterval_is_zero_to_one_inclusive()
    {
        Assert.DoesNotThrow(() => OptionRules.UnitInterval(0f, Record, Option));
        Assert.DoesNotThrow(() => OptionRules.UnitInterval(1f, Record, Option));
        AssertRejects(() => OptionRules.UnitInterval(Below0, Record, Option), "in [0, 1]");
        AssertRejects(() => OptionRules.UnitInterval(Above1, Record, Option), "in [0, 1]");
        AssertRejects(() => OptionRules.UnitInterval(float.NaN, Record, Option), "in [0, 1]", "NaN");
        AssertRejects(() => OptionRules.UnitInterval(1.5, Record, Option), "in [0, 1]", "1.5");
    }

    [Test]
    public void HalfOpenUnitInterval_excludes_zero_and_includes_one()
    {
        Assert.DoesNotThrow(() => OptionRules.HalfOpenUnitInterval(Above0, Record, Option));
        Assert.DoesNotThrow(() => OptionRules.HalfOpenUnitInterval(1f, Record, Option));
        AssertRejects(() => OptionRules.HalfOpenUnitInterval(0f, Record, Option), "in (0, 1]", "0");
        AssertRejects(() => OptionRules.HalfOpenUnitInterval(Above1, Record, Option), "in (0, 1]");
        AssertRejects(() => OptionRules.HalfOpenUnitInterval(float.NaN, Record, Option), "in (0, 1]", "NaN");
    }

    [Test]
    public void AtLeast_accepts_the_minimum_and_infinity_and_rejects_below_and_NaN()
    {
        Assert.DoesNotThrow(() => OptionRules.AtLeast(1, 1, Record, Option));
        Assert.DoesNotThrow(() => OptionRules.AtLeast(float.PositiveInfinity, 0f, Record, Option));
        AssertRejects(() => OptionRules.AtLeast(0, 1, Record, Option), "≥ 1", "0");
        AssertRejects(() => OptionRules.AtLeast(Below0, 0f, Record, Option), "≥ 0");
        AssertRejects(() => OptionRules.AtLeast(float.NaN, 0f, Record, Option), "≥ 0", "NaN");
    }

    [Test]
    public void AtLeast_names_the_option_that_sets_the_minimum()
    {
        Assert.DoesNotThrow(() => OptionRules.AtLeast(4, 4, Record, Option, minName: "EnvCount"));
        AssertRejects(() => OptionRules.AtLeast(3, 4, Record, Option, minName: "EnvCount"), "≥ EnvCount (4)", "3");
    }

    [Test]
    public void AtMost_accepts_the_maximum_and_minus_infinity_and_rejects_above_and_NaN_naming_the_bounding_option()
    {
        Assert.DoesNotThrow(() => OptionRules.AtMost(4, 4, Record, Option, maxName: "BufferSize"));
        Assert.DoesNotThrow(() => OptionRules.AtMost(float.NegativeInfinity, 0f, Record, Option));
        AssertRejects(() => OptionRules.AtMost(5, 4, Record, Option, maxName: "BufferSize"), "≤ BufferSize (4)", "5");
        AssertRejects(() => OptionRules.AtMost(Above0, 0f, Record, Option), "≤ 0");
        AssertRejects(() => OptionRules.AtMost(float.NaN, 0f, Record, Option), "≤ 0", "NaN");
    }

    [Test]
    public void GreaterThan_excludes_the_bound_and_lets_infinity_through()
    {
        Assert.DoesNotThrow(() => OptionRules.GreaterThan(Above0, 0f, Record, Option));
        Assert.DoesNotThrow(() => OptionRules.GreaterThan(float.PositiveInfinity, 0f, Record, Option));
        AssertRejects(() => OptionRules.GreaterThan(0f, 0f, Record, Option), "> 0", "0");
        AssertRejects(() => OptionRules.GreaterThan(float.NaN, 0f, Record, Option), "> 0", "NaN");
    }

    [Test]
    public void Positive_is_finite_and_above_zero()
    {
        Assert.DoesNotThrow(() => OptionRules.Positive(Above0, Record, Option));
        Assert.DoesNotThrow(() => OptionRules.Positive(float.MaxValue, Record, Option));
        Assert.DoesNotThrow(() => OptionRules.Positive(1, Record, Option));
        AssertRejects(() => OptionRules.Positive(0f, Record, Option), "finite and > 0", "0");
        AssertRejects(() => OptionRules.Positive(-1, Record, Option), "finite and > 0", "-1");
        AssertRejects(() => OptionRules.Positive(float.NaN, Record, Option), "finite and > 0", "NaN");
        AssertRejects(() => OptionRules.Positive(float.PositiveInfinity, Record, Option), "finite and > 0", "Infinity");
    }

    [Test]
    public void NonNegative_is_finite_and_at_least_zero()
    {
        Assert.DoesNotThrow(() => OptionRules.NonNegative(0f, Record, Option));
        Assert.DoesNotThrow(() => OptionRules.NonNegative(double.MaxValue, Record, Option));
        AssertRejects(() => OptionRules.NonNegative(Below0, Record, Option), "finite and ≥ 0");
        AssertRejects(() => OptionRules.NonNegative(double.NaN, Record, Option), "finite and ≥ 0", "NaN");
        AssertRejects(() => OptionRules.NonNegative(double.PositiveInfinity, Record, Option), "finite and ≥ 0", "Infinity");
    }

    [Test]
    public void Finite_rejects_only_NaN_and_infinities()
    {
        Assert.DoesNotThrow(() => OptionRules.Finite(float.MinValue, Record, Option));
        Assert.DoesNotThrow(() => OptionRules.Finite(float.MaxValue, Record, Option));
        AssertRejects(() => OptionRules.Finite(float.NaN, Record, Option), "finite", "NaN");
        AssertRejects(() => OptionRules.Finite(float.PositiveInfinity, Record, Option), "finite", "Infinity");
        AssertRejects(() => OptionRules.Finite(float.NegativeInfinity, Record, Option), "finite", "-Infinity");
    }

    [Test]
    public void FiniteOrNull_accepts_null_and_finite_values()
    {
        Assert.DoesNotThrow(() => OptionRules.FiniteOrNull((double?)null, Record, Option));
        Assert.DoesNotThrow(() => OptionRules.FiniteOrNull((double?)-1e300, Record, Option));
        AssertRejects(() => OptionRules.FiniteOrNull((double?)double.NaN, Record, Option), "finite or null", "NaN");
        AssertRejects(() => OptionRules.FiniteOrNull((float?)float.NegativeInfinity, Record, Option), "finite or null", "-Infinity");
    }

    [Test]
    public void PositiveOrNull_accepts_null_and_finite_values_above_zero()
    {
        Assert.DoesNotThrow(() => OptionRules.PositiveOrNull((float?)null, Record, Option));
        Assert.DoesNotThrow(() => OptionRules.PositiveOrNull((float?)Above0, Record, Option));
        AssertRejects(() => OptionRules.PositiveOrNull((float?)0f, Record, Option), "null or finite and > 0", "0");
        AssertRejects(() => OptionRules.PositiveOrNull((float?)float.NaN, Record, Option), "null or finite and > 0", "NaN");
        AssertRejects(() => OptionRules.PositiveOrNull((float?)float.PositiveInfinity, Record, Option), "null or finite and > 0", "Infinity");
    }

    [Test]
    public void HiddenSizes_needs_widths_of_at_least_one_and_a_layer_unless_empty_is_allowed()
    {
        Assert.DoesNotThrow(() => OptionRules.HiddenSizes([1], Record, Option));
        Assert.DoesNotThrow(() => OptionRules.HiddenSizes([], Record, Option, allowEmpty: true));
        AssertRejects(() => OptionRules.HiddenSizes([], Record, Option), "a non-empty list of widths ≥ 1", "[]");
        AssertRejects(() => OptionRules.HiddenSizes([64, 0], Record, Option), "a non-empty list of widths ≥ 1", "[64, 0]");
        AssertRejects(() => OptionRules.HiddenSizes(null, Record, Option), "a non-empty list of widths ≥ 1", "null");
        AssertRejects(() => OptionRules.HiddenSizes([-1], Record, Option, allowEmpty: true), "a list of widths ≥ 1", "[-1]");
        AssertRejects(() => OptionRules.HiddenSizes(null, Record, Option, allowEmpty: true), "a list of widths ≥ 1", "null");
    }

    [Test]
    public void Defined_lists_the_enum_members()
    {
        Assert.DoesNotThrow(() => OptionRules.Defined(Flavour.Sour, Record, Option));
        AssertRejects(() => OptionRules.Defined((Flavour)7, Record, Option), "one of Sweet, Sour", "7");
    }

    [Test]
    public void Require_reports_the_given_range()
    {
        Assert.DoesNotThrow(() => OptionRules.Require(3, true, "odd", Record, Option));
        AssertRejects(() => OptionRules.Require(4, false, "odd", Record, Option), "odd", "4");
        AssertRejects(() => OptionRules.Require(null, false, "set", Record, Option), "set", "null");
    }

    [Test]
    public void Messages_do_not_depend_on_the_machines_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            AssertRejects(() => OptionRules.InRange(2.5, 0.5, 1.5, Record, Option), "in [0.5, 1.5]", "2.5");
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Test]
    public void An_options_record_reports_its_own_name_and_the_option()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayBufferOptions { Gamma = 2f }.Validate())!;
        Assert.That(error.ParamName, Is.EqualTo(nameof(ReplayBufferOptions.Gamma)));
        Assert.That(error.Message, Does.StartWith("ReplayBufferOptions.Gamma must be in [0, 1]; got 2."));
    }
}
