namespace FimVerify.Symbolic

open System.Diagnostics

/// Raised by long computations when their budget runs out (time or work); carries the reason for the user.
exception BudgetExceeded of string

/// A deadline on the wall clock that long loops poll, so one expensive step cannot stall a whole run: the loop raises
/// BudgetExceeded and the caller reports the step as undecided.
type WorkBudget(deadline: int64, seconds: float) =
    /// A budget of `seconds` from now.
    new(seconds: float) =
        let ticks = if seconds >= 1e6 then System.Int64.MaxValue else Stopwatch.GetTimestamp() + int64 (seconds * float Stopwatch.Frequency)
        WorkBudget(ticks, seconds)
    member _.Seconds = seconds
    member _.Expired = Stopwatch.GetTimestamp() > deadline
    /// Raises BudgetExceeded when the deadline has passed.
    member b.Check() = if b.Expired then raise (BudgetExceeded $"the step's time budget of {seconds:g} s ran out")
    static member Unlimited = WorkBudget(System.Int64.MaxValue, infinity)
