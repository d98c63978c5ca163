"""`ecu chat [BRIEF]`: the terminal UI; chat through a brief and watch the shot plan take shape."""

from __future__ import annotations

import argparse
import sys

from agent.config import Config

HELP = "chat through a brief in the terminal UI (plan, follow-ups, images, exports)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brief", nargs="?", help="brief file to plan at start (optional; or type it in the UI)")
    parser.add_argument("--model", help="litellm model name (default: ECU_MODEL; none means offline)")
    parser.add_argument("--api-base", help="OpenAI-compatible API base URL (default: ECU_API_BASE)")
    from cli.commands.plan import add_model_options

    add_model_options(parser)
    parser.add_argument("--resume", metavar="SESSION", help="resume a saved session (see `ecu sessions`)")
    parser.add_argument("--export-dir", metavar="DIR",
                        help="where ctrl+s and the palette write exports (default: $ECU_HOME/exports)")
    images = parser.add_argument_group("image generation (ctrl+g; needs the 'generate' extra)")
    images.add_argument("--image-model", help="diffusers folder or hub id (default: ECU_IMAGE_MODEL; the chat "
                                               "does not fall back to downloading a default model)")
    images.add_argument("--steps", type=int, help="denoising steps (default: the model's own)")
    images.add_argument("--width", type=int, help="image width in pixels (default: from the aspect ratio)")
    images.add_argument("--height", type=int, help="image height in pixels (default: from the aspect ratio)")
    images.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="where to run")
    images.add_argument("--max-rounds", type=int, default=3, help="generate, check, regenerate rounds (default 3)")
    parser.add_argument("--images", choices=("auto", "halfcell", "unicode", "sixel", "tgp"), default=None,
                        help="how thumbnails are drawn (default: ECU_TUI_IMAGES or auto: a graphics protocol "
                             "when the terminal has one, half-cell blocks otherwise)")


def run(args: argparse.Namespace, settings) -> int:
    from agent.errors import InputError
    from agent.session import Session

    config = Config.from_settings(settings)
    brief = None
    session = None
    if args.resume:
        if args.brief:
            raise InputError("give a brief or --resume, not both")
        session = Session.load(args.resume, config.home)  # fails here, before the screen is taken over
    elif args.brief:
        from agent.briefs import read_brief

        brief = read_brief(args.brief)

    # textual-image asks the terminal what it can draw at import time: do it before Textual starts.
    from tui.widgets import pick_image_widget

    image_widget = pick_image_widget(settings.tui_images)
    from tui.app import EcuApp

    if args.max_rounds < 1:
        raise InputError("--max-rounds must be at least 1")
    render = {"device": args.device} | ({"steps": args.steps} if args.steps else {})
    refine = {"max_rounds": args.max_rounds, "width": args.width, "height": args.height}
    generator_options = {"model": settings.image_model, "render_options": render, "refine_options": refine}
    app = EcuApp(config, brief=brief, session=session, image_widget=image_widget, export_dir=args.export_dir,
                 generator_options=generator_options)
    app.run()
    code = int(app.return_code or 0)
    if app.generation_running():
        # Quit during a denoising step: the step cannot be interrupted, and tearing the interpreter down
        # under a running torch thread aborts. Sessions and images are written atomically, so leave now.
        import os

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
