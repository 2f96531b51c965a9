using RLKit.Environments;
using RLKit.Envs;
using RLKit.Envs.Recommender;

namespace RLKit.Experiments;

/// <summary>
/// One of the SAVO chapter's tasks that RLKit has (seed 003 §4.5; MuJoCo, Adroit and MovieLens are out of reach): its
/// catalog id and options, the networks and training copies its runs use, and the default budget. Continuous tasks use
/// Table C.1's MuJoCo column ([256, 256], one copy, one update per step); the discrete ones its Mine World and RecSim
/// columns' critic widths with fewer parallel copies than the paper's 20 and 16.
/// </summary>
internal sealed record SavoEnvironment(string Name, string Id, string Title, string Description, bool Discrete,
                                       IReadOnlyList<int> HiddenSizes, int Environments, long DefaultSteps, int DefaultLearningStarts,
                                       Func<object?> Options)
{
    /// <summary>
    /// RecSim's catalogue: 20,000 items, whose training half (10,000, the agent's ActionSet's available items) is the
    /// thesis's "10,000 items"; the test half is never offered here.
    /// </summary>
    public const int RecSimCatalogue = 20_000;

    /// <summary>Restricted pendulum (RLKit's 1-D stand-in for Inverted-Pendulum-Restricted): 4 valid torque intervals, invalid → 0.</summary>
    public static SavoEnvironment RestrictedPendulum { get; } = new("restricted-pendulum", "RestrictedPendulum-v1", "Restricted Pendulum",
        "pendulum swing-up, torques outside 4 random intervals (hyperspheres, layout seed 0) apply zero torque, 200 steps",
        Discrete: false, [256, 256], 1, 20_000, 1_000, static () => null);

    /// <summary>Restricted continuous cart-pole (Inverted-Pendulum-Restricted): invalid forces become −1, as in the thesis's C.3.1.</summary>
    public static SavoEnvironment RestrictedCartPole { get; } = new("restricted-cartpole", "RestrictedCartPoleContinuous-v1", "Restricted CartPole",
        "continuous cart-pole balancing, forces outside 4 random intervals (layout seed 0) become −1, 500 steps",
        Discrete: false, [256, 256], 1, 20_000, 1_000, static () => null);

    /// <summary>Unrestricted Pendulum-v1: the convex-landscape control where every method should tie (Fig. C.3's role).</summary>
    public static SavoEnvironment Pendulum { get; } = new("pendulum", "Pendulum-v1", "Pendulum-v1",
        "Gymnasium pendulum swing-up, unrestricted torque in [−2, 2], 200 steps",
        Discrete: false, [256, 256], 1, 20_000, 1_000, static () => null);

    /// <summary>Mining expedition (C.1): 4 moves + 100 pick-axes with 4-D representations, 1-NN projection.</summary>
    public static SavoEnvironment Mining { get; } = new("mining", "MiningGrid-v0", "Mining Expedition",
        "mining grid (10×10, 20 mines of 10 types, 4 moves + 100 pick-axes with 4-D representations, 100 steps)",
        Discrete: true, [128, 128], 4, 100_000, 2_000, static () => null);

    /// <summary>RecSim single item (C.2): one of 10,000 items with 30-D representations, 1-NN projection, 20 steps.</summary>
    public static SavoEnvironment RecSim { get; } = new("recsim", "RecSim-SingleItem-v0", "RecSim (10,000 items)",
        "RecSim single-item recommendation from 10,000 items (the training half of a 20,000-item catalogue, 30-D item vectors), reward 1 per click, 20 steps",
        Discrete: true, [64, 32], 4, 20_000, 2_000, static () => new RecSimSingleItemOptions { ItemCount = RecSimCatalogue });

    public static IReadOnlyList<SavoEnvironment> All { get; } = [RestrictedPendulum, RestrictedCartPole, Pendulum, Mining, RecSim];

    /// <summary>The environment named <paramref name="name"/>, or null.</summary>
    public static SavoEnvironment? Find(string name) => All.FirstOrDefault(e => e.Name == name);

    /// <summary>Makes fresh copies from one standard catalog (time limit included).</summary>
    public Func<IEnvironment> Factory()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        object? options = Options();
        return () => catalog.Make(Id, options);
    }
}
