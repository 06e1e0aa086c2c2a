"""The Gymnasium bridge's speed: stepping CartPole from Python, against Gymnasium's own CartPole in the same run.

Measured, each as microseconds per environment step (random actions, resets included, compilation excluded):

- Gymnasium's CartPole-v1 (`gymnasium.make`), the reference;
- `LeraxToGymEnv(CartPole())`, one step per call (goal: <= 50 us);
- Gymnasium's `SyncVectorEnv` of 64 CartPoles, and `LeraxToGymVectorEnv(CartPole(), 64)`, per environment step
  (goal: Lerax's vector env below Gymnasium's single CartPole).

The timings alternate between contenders and keep the best of several rounds, so both see the same machine load.
With `--sb3` (and Stable-Baselines3 installed), SB3's PPO also trains for 50,000 steps on each single env, end to end.

Run: python bench/bridge.py [--sb3]      Writes bench/results/bridge.json (SB3's figures kept from an earlier --sb3 run).
"""
import argparse
import json
import pathlib
import time

import gymnasium as gym
import numpy as np

from lerax.compatibility import LeraxToGymEnv, LeraxToGymVectorEnv
from lerax.env import CartPole

NUM_ENVS = 64


def single_stepper(env, steps):
    "A function that steps `env` `steps` times with random actions, resetting when an episode ends."
    env.reset(seed=0)
    actions = np.random.default_rng(0).integers(0, 2, size=steps)

    def run():
        for action in actions:
            _, _, terminated, truncated, _ = env.step(int(action))
            if terminated or truncated: env.reset()
    return run


def vector_stepper(env, steps):
    "A function that steps a vector env (which resets by itself) `steps` times with random actions."
    env.reset(seed=0)
    actions = np.random.default_rng(0).integers(0, 2, size=(steps, NUM_ENVS))

    def run():
        for batch in actions: env.step(batch)
    return run


def best_microseconds(runners, env_steps, rounds=15):
    "Best time per environment step of each runner over `rounds` alternating rounds (after one warm-up round)."
    best = {name: float("inf") for name in runners}
    for round_ in range(rounds + 1):
        for name, run in runners.items():
            start = time.perf_counter()
            run()
            elapsed = (time.perf_counter() - start) / env_steps[name] * 1e6
            if round_ > 0: best[name] = min(best[name], elapsed)
    return best


def sb3_seconds(make_env, total_timesteps=50_000):
    "Wall time and final mean episode return of SB3's PPO (its CartPole defaults) on one env."
    from stable_baselines3 import PPO
    from stable_baselines3.common.evaluation import evaluate_policy
    start = time.perf_counter()
    model = PPO("MlpPolicy", make_env(), seed=0, device="cpu", verbose=0).learn(total_timesteps)
    seconds = time.perf_counter() - start
    mean_return, _ = evaluate_policy(model, make_env(), n_eval_episodes=10)
    return seconds, float(mean_return)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sb3", action="store_true", help="also time Stable-Baselines3's PPO on each single env")
    args = parser.parse_args()
    steps = 4_000
    runners = {
        "gymnasium CartPole-v1": single_stepper(gym.make("CartPole-v1"), steps),
        "LeraxToGymEnv": single_stepper(LeraxToGymEnv(CartPole()), steps),
        f"gymnasium SyncVectorEnv x{NUM_ENVS}": vector_stepper(
            gym.vector.SyncVectorEnv([lambda: gym.make("CartPole-v1")] * NUM_ENVS), steps // 20),
        f"LeraxToGymVectorEnv x{NUM_ENVS}": vector_stepper(LeraxToGymVectorEnv(CartPole(), NUM_ENVS), steps // 20),
    }
    env_steps = {name: steps // 20 * NUM_ENVS if name.endswith(f"x{NUM_ENVS}") else steps for name in runners}
    best = best_microseconds(runners, env_steps)
    reference = best["gymnasium CartPole-v1"]
    print(f"{'contender':<34}{'us per env step':>16}{'x Gymnasium CartPole':>22}")
    for name, microseconds in best.items():
        print(f"{name:<34}{microseconds:>16.2f}{microseconds / reference:>22.2f}")
    results = {"microseconds_per_env_step": best, "ratio_to_gymnasium_cartpole": {n: m / reference for n, m in best.items()}}
    if args.sb3:
        sb3 = {"gymnasium CartPole-v1": sb3_seconds(lambda: gym.make("CartPole-v1")),
               "LeraxToGymEnv": sb3_seconds(lambda: LeraxToGymEnv(CartPole()))}
        for name, (seconds, mean_return) in sb3.items():
            print(f"SB3 PPO, 50k steps on {name:<24}{seconds:>8.1f} s   final mean return {mean_return:.1f}")
        print(f"ratio LeraxToGymEnv / Gymnasium: {sb3['LeraxToGymEnv'][0] / sb3['gymnasium CartPole-v1'][0]:.2f}")
        results["sb3_ppo_50k"] = {name: {"seconds": s, "mean_return": r} for name, (s, r) in sb3.items()}
    path = pathlib.Path(__file__).parent / "results" / "bridge.json"
    earlier = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**earlier, **results}, indent=2) + "\n")     # a run without --sb3 keeps SB3's figures
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
