"""SAC and TD3 on Pendulum (and MountainCarContinuous): Lerax with its defaults against Stable-Baselines3's SAC.

Lerax: SAC() and TD3() with their defaults (and MLPSACPolicy / MLPDeterministicPolicy's), SEEDS seeds in one call,
for Pendulum's usual budget of 20,000 steps. Reported per algorithm: wall time (compile included), steps/s over all
seeds, the evaluation return of each seed's trained policy (16 episodes, acting as trained: SAC
samples, TD3 acts without noise), how many seeds reach >= -200, and the step at which each seed's training return
(the mean of its last 5 episodes) first reaches -200.

The time to reach -200, one seed, for both libraries: Lerax trains one seed for 20,000 steps twice (the first call
compiles); its time to reach -200 is the compile time plus the steady-state time per step times the steps needed.
Stable-Baselines3 trains SAC with the RL Zoo's Pendulum-v1 hyperparameters (learning_rate 1e-3, everything else
SB3's defaults: 256-256 networks, batch 256, buffer 1e6, learning_starts 100, tau 0.005, gamma 0.99, automatic
entropy), on PyTorch on this CPU, and Gymnasium's Monitor timestamps each episode, so its time to -200 is read off
directly, with the same criterion (the mean of the last 5 training episodes); SB3's training stops there (on this
CPU it takes tens of milliseconds per step, so running on to 20,000 steps would take many minutes). The headline is SB3's time to -200
divided by Lerax's (goal: >= 5x).

MountainCarContinuous: SAC and TD3 with their defaults, MCC_SEEDS seeds, MCC_STEPS steps; the evaluation return.

Run: python bench/sac_pendulum.py [--quick]    (needs the dev extras and stable-baselines3 + torch)
"""
import json
import sys
import time
from pathlib import Path

import equinox as eqx
import jax
import jax.random as jr
import numpy as np

from lerax.algorithm import SAC, TD3, evaluate
from lerax.classic_control import MountainCarContinuous
from lerax.pendulum import Pendulum
from lerax.policy import MLPDeterministicPolicy, MLPSACPolicy

QUICK = "--quick" in sys.argv
SEEDS, STEPS = (2, 3_000) if QUICK else (4, 20_000)
MCC_SEEDS, MCC_STEPS = (1, 2_000) if QUICK else (2, 20_000)
TARGET = -200.0


def first_step_reaching(episode_returns: np.ndarray, steps: np.ndarray, target: float = TARGET, last: int = 5):
    "The step at which the mean of the last `last` finished episodes first reaches `target` (None if never)."
    ended = ~np.isnan(episode_returns)
    returns, at = episode_returns[ended], steps[ended]
    for i in range(last - 1, len(returns)):
        if returns[i - last + 1:i + 1].mean() >= target: return int(at[i])
    return None


def lerax_runs(env, algorithm, policy, *, seeds: int, steps: int, key):
    start = time.perf_counter()
    policies, metrics = algorithm.learn(env, policy, total_timesteps=steps, key=jr.split(key, seeds), return_metrics=True)
    jax.block_until_ready(metrics["episode_return"])
    seconds = time.perf_counter() - start
    scores = eqx.filter_vmap(lambda p, k: evaluate(env, p, key=k, num_episodes=16)[0])(policies, jr.split(jr.key(99), seeds))
    returns, timesteps = np.asarray(metrics["episode_return"]), np.asarray(metrics["timesteps"])[0]
    reached = [first_step_reaching(returns[i], timesteps) for i in range(seeds)]
    return dict(seconds=seconds, steps_per_second=seeds * steps / seconds, evaluation=np.asarray(scores).round(1).tolist(),
                seeds_at_target=int(np.sum(np.asarray(scores) >= TARGET)), steps_to_target=reached)


def lerax_one_seed_time(env, algorithm, policy, *, steps: int):
    "Compile time and steady-state seconds per step of one seed (two calls; the second is compiled)."
    times = []
    for call in range(2):
        start = time.perf_counter()
        _, metrics = algorithm.learn(env, policy, total_timesteps=steps, key=jr.key(call), return_metrics=True)
        jax.block_until_ready(metrics["episode_return"])
        times.append(time.perf_counter() - start)
    returns, timesteps = np.asarray(metrics["episode_return"]), np.asarray(metrics["timesteps"])
    return times[0] - times[1], times[1] / steps, first_step_reaching(returns, timesteps)


def sb3_sac(steps: int, seed: int = 0):
    import gymnasium as gym
    import torch
    from stable_baselines3 import SAC as SB3SAC
    from stable_baselines3.common.monitor import Monitor
    torch.set_num_threads(2)
    env = Monitor(gym.make("Pendulum-v1"))
    model = SB3SAC("MlpPolicy", env, learning_rate=1e-3, seed=seed, verbose=0, device="cpu")
    start = time.perf_counter()
    model.learn(total_timesteps=steps, callback=_StopAtTarget(env))    # stops once -200 is reached (it is slow)
    seconds = time.perf_counter() - start
    steps = int(np.sum(env.get_episode_lengths()))
    returns, ends = np.array(env.get_episode_rewards()), np.cumsum(env.get_episode_lengths())
    times = np.array(env.get_episode_times())      # seconds since the Monitor was made, at each episode's end
    reached_step = first_step_reaching(returns, ends)
    reached_time = None if reached_step is None else float(times[np.searchsorted(ends, reached_step)])
    mean_return, _ = _sb3_evaluate(model)
    return dict(seconds=seconds, steps_per_second=steps / seconds, steps_to_target=reached_step,
                seconds_to_target=reached_time, evaluation=round(float(mean_return), 1))


def _StopAtTarget(env):
    from stable_baselines3.common.callbacks import BaseCallback

    class StopAtTarget(BaseCallback):
        "Stop training once the mean of the last 5 finished episodes reaches TARGET (SB3 is slow, so no steps are wasted)."
        def _on_step(self) -> bool:
            returns = env.get_episode_rewards()
            return not (len(returns) >= 5 and np.mean(returns[-5:]) >= TARGET)

    return StopAtTarget()


def _sb3_evaluate(model):
    import gymnasium as gym
    from stable_baselines3.common.evaluation import evaluate_policy
    return evaluate_policy(model, gym.make("Pendulum-v1"), n_eval_episodes=16, deterministic=True)


def main():
    pendulum, results = Pendulum(), {}
    builders = dict(SAC=(SAC(), lambda env: MLPSACPolicy(env=env, key=jr.key(0))),
                    TD3=(TD3(), lambda env: MLPDeterministicPolicy(env=env, key=jr.key(0))))
    print(f"Pendulum, {STEPS} steps, {SEEDS} seeds in one call, {jax.devices()[0].platform}")
    for name, (algorithm, build) in builders.items():
        runs = lerax_runs(pendulum, algorithm, build(pendulum), seeds=SEEDS, steps=STEPS, key=jr.key(1))
        compile_seconds, per_step, reached = lerax_one_seed_time(pendulum, algorithm, build(pendulum), steps=STEPS)
        runs |= dict(one_seed_compile_seconds=compile_seconds, one_seed_steps_per_second=1 / per_step,
                     one_seed_steps_to_target=reached,
                     one_seed_seconds_to_target=None if reached is None else compile_seconds + reached * per_step)
        results[f"lerax_{name}"] = runs
        print(f"  Lerax {name}: evaluation {runs['evaluation']} ({runs['seeds_at_target']}/{SEEDS} seeds >= {TARGET:.0f}); "
              f"steps to {TARGET:.0f} {runs['steps_to_target']}; {runs['seconds']:.1f} s for all seeds "
              f"({runs['steps_per_second']:.0f} steps/s); one seed: {1 / per_step:.0f} steps/s, compile {compile_seconds:.1f} s, "
              f"reaches {TARGET:.0f} after {reached} steps, {runs['one_seed_seconds_to_target']} s")
    sb3 = sb3_sac(STEPS)
    results["sb3_SAC"] = sb3
    print(f"  SB3 SAC (RL Zoo hyperparameters, PyTorch CPU): evaluation {sb3['evaluation']}; {sb3['seconds']:.1f} s "
          f"({sb3['steps_per_second']:.0f} steps/s); reaches {TARGET:.0f} after {sb3['steps_to_target']} steps, "
          f"{sb3['seconds_to_target']} s")
    lerax_time = results["lerax_SAC"]["one_seed_seconds_to_target"]
    if lerax_time and sb3["seconds_to_target"]:
        results["speedup_to_target"] = sb3["seconds_to_target"] / lerax_time
        print(f"  time to {TARGET:.0f}, one seed: SB3 SAC / Lerax SAC = {results['speedup_to_target']:.1f}x (goal >= 5x)")
    print(f"MountainCarContinuous, {MCC_STEPS} steps, {MCC_SEEDS} seeds")
    car = MountainCarContinuous()
    for name, (algorithm, build) in builders.items():
        runs = lerax_runs(car, algorithm, build(car), seeds=MCC_SEEDS, steps=MCC_STEPS, key=jr.key(2))
        results[f"mountain_car_continuous_{name}"] = runs
        print(f"  Lerax {name}: evaluation {runs['evaluation']}; {runs['seconds']:.1f} s")
    if not QUICK:
        out = Path(__file__).parent / "results" / "sac_pendulum.json"
        out.write_text(json.dumps(results, indent=1))
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
