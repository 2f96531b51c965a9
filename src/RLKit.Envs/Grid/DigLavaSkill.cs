namespace RLKit.Envs.Grid;

/// <summary>The nine skills of the dig-lava grid (<see cref="DigLavaGrid"/>); the value is the action id.</summary>
public enum DigLavaSkill
{
    /// <summary>Face right and step right.</summary>
    MoveRight = 0,

    /// <summary>Face down and step down.</summary>
    MoveDown = 1,

    /// <summary>Face left and step left.</summary>
    MoveLeft = 2,

    /// <summary>Face up and step up.</summary>
    MoveUp = 3,

    /// <summary>Turn 90° counter-clockwise in place (always available).</summary>
    TurnLeft = 4,

    /// <summary>Turn 90° clockwise in place (special).</summary>
    TurnRight = 5,

    /// <summary>Step one cell in the facing direction (special).</summary>
    MoveForward = 6,

    /// <summary>Turn the orange lava the agent stands in into floor (special).</summary>
    DigOrange = 7,

    /// <summary>Turn the pink lava the agent stands in into floor (special).</summary>
    DigPink = 8,
}
