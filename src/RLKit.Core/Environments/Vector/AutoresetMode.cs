namespace RLKit.Environments.Vector;

/// <summary>
/// How a vector environment restarts sub-environments whose episode ended (Gymnasium 1.x <c>AutoresetMode</c>).
/// RLKit's vector environments default to <see cref="SameStep"/>, the mode training requires.
/// </summary>
public enum AutoresetMode
{
    /// <summary>
    /// Gymnasium 1.x's default (not RLKit's; evaluation accepts it, training does not). The step that ends an episode returns its true last observation. The next Step
    /// resets that sub-environment instead, ignoring its action, and returns the reset observation with reward 0
    /// and terminated = truncated = false; its info is the reset info.
    /// </summary>
    NextStep,

    /// <summary>
    /// The step that ends an episode also resets the sub-environment and returns the reset observation (and reset
    /// info); the true last observation is the row of <c>NextObservations</c> and the last info is in <c>FinalInfos</c>.
    /// </summary>
    SameStep,
}
