"""PPO on all five classic-control tasks: the full-budget table that the classic-control lesson quotes.

For each task: PPO with the budget and hyperparameters below, several seeds trained in one `learn` call, then each
trained policy evaluated on 32 fresh episodes. The table gives the mean +- std over seeds of those evaluation returns.
Goals from the issue: CartPole >= 475, Acrobot >= -100, Pendulum >= -250 (each seed's mean, and so their mean).
MountainCar stays at -200 by design of the lesson: its reward is too sparse for exploration by chance.

The reference printed alongside is a random policy's return on the same task (evaluated the same way).

Run: python bench/classic_control_ppo.py [--seeds 3]      Writes bench/results/classic_control_ppo.json.
"""
import argparse
import json
import pathlib
import time

import equinox as eqx
import jax
import jax.random as jr
import numpy as np

from lerax.algorithm import PPO, evaluate
from lerax.env import make
from lerax.policy import MLPActorCriticPolicy

# task: (total_timesteps, PPO hyperparameters, goal for the mean return or None)
TASKS = {
    "CartPole-v1": (2**17, {}, 475.0),
    "Acrobot-v1": (2**18, {}, -100.0),
    "Pendulum-v1": (2**17, dict(num_envs=4, num_steps=1024, num_epochs=10, num_batches=64, gamma=0.9,
                                learning_rate=1e-3), -250.0),
    "MountainCar-v0": (2**18, {}, None),
    "MountainCarContinuous-v0": (2**18, {}, None),
}


def run_task(env_id, total_timesteps, hyperparameters, seeds):
    env = make(env_id)
    policy = MLPActorCriticPolicy(env=env, key=jr.key(0))
    start = time.perf_counter()
    trained = PPO(**hyperparameters).learn(env, policy, total_timesteps=total_timesteps,
                                           key=jr.split(jr.key(100), seeds))
    jax.block_until_ready(trained)
    seconds = time.perf_counter() - start
    evaluate_one = lambda p, k: evaluate(env, p, key=k, num_episodes=32)[0]
    returns = np.asarray(eqx.filter_vmap(evaluate_one)(trained, jr.split(jr.key(7), seeds)))
    random_return = float(evaluate_one(policy, jr.key(7)))
    return {"total_timesteps": total_timesteps, "hyperparameters": hyperparameters, "seconds": seconds,
            "returns": returns.tolist(), "mean": float(returns.mean()), "std": float(returns.std()),
            "untrained_policy_return": random_return}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--tasks", nargs="*", default=list(TASKS))
    args = parser.parse_args()
    results = {}
    print(f"| task | budget (steps) | PPO return, mean ± std over {args.seeds} seeds | untrained policy | goal | time |")
    print("|---|---|---|---|---|---|")
    for env_id in args.tasks:
        total_timesteps, hyperparameters, goal = TASKS[env_id]
        result = results[env_id] = run_task(env_id, total_timesteps, hyperparameters, args.seeds)
        result["goal"] = goal
        result["goal_met"] = None if goal is None else bool(min(result["returns"]) >= goal)
        verdict = "—" if goal is None else f">= {goal:.0f} ({'met' if result['goal_met'] else 'NOT met'})"
        print(f"| {env_id} | {total_timesteps:,} | {result['mean']:.1f} ± {result['std']:.1f} | "
              f"{result['untrained_policy_return']:.1f} | {verdict} | {result['seconds']:.0f} s |", flush=True)
    path = pathlib.Path(__file__).parent / "results" / "classic_control_ppo.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
