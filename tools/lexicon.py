"""Word knowledge the offline planner reasons with.

Kept as plain data so it reads like a photographer's notebook: which small
things are worth an extreme close-up and what job each usually does, which
words name a product, a channel, a goal. Tools match on word stems, so new
briefs with new phrasing still land on the same knowledge.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DetailTerm:
    category: str  # the job this detail usually does
    kind: str  # texture | face | mark | liquid | mechanism | event: drives lens and material
    also: tuple[str, ...] = ()  # other jobs it can honestly do, chosen by context
    material: str = ""  # how its surface should read in a prompt


_T = DetailTerm

# Singular forms; simple plurals are matched by the tools.
DETAIL_TERMS: dict[str, DetailTerm] = {
    # craftsmanship: how well the thing is made
    "stitching": _T("craftsmanship", "texture", ("proof",), "tight even stitches, waxed thread"),
    "stitch": _T("craftsmanship", "texture", ("proof",), "tight even stitches, waxed thread"),
    "seam": _T("craftsmanship", "texture", ("proof",), "clean seam line, tight even stitches"),
    "weave": _T("craftsmanship", "texture", (), "visible weave, realistic textile texture"),
    "knit": _T("craftsmanship", "texture", (), "visible knit loops, realistic yarn texture"),
    "yarn": _T("craftsmanship", "texture", (), "twisted fibres, realistic yarn texture"),
    "fibre": _T("craftsmanship", "texture", ("proof",), "individual fibres, realistic textile texture"),
    "fiber": _T("craftsmanship", "texture", ("proof",), "individual fibres, realistic textile texture"),
    "embroidery": _T("craftsmanship", "texture", (), "raised thread relief, satin stitch sheen"),
    "grain": _T("craftsmanship", "texture", (), "fine natural grain texture"),
    "embossing": _T("craftsmanship", "mark", ("proof",), "crisp raised relief, clean edges"),
    "embossed": _T("craftsmanship", "mark", ("proof",), "crisp raised relief, clean edges"),
    "debossing": _T("craftsmanship", "mark", (), "crisp pressed relief, clean edges"),
    "deboss": _T("craftsmanship", "mark", (), "crisp pressed relief, clean edges"),
    "engraving": _T("craftsmanship", "mark", ("proof",), "fine engraved lines, crisp metal edges"),
    "foil": _T("craftsmanship", "mark", (), "metallic foil with controlled highlights"),
    "foiling": _T("craftsmanship", "mark", (), "metallic foil with controlled highlights"),
    "letterpress": _T("craftsmanship", "mark", (), "pressed ink in textured paper"),
    "glaze": _T("craftsmanship", "texture", ("story_hook",), "glossy glaze with true reflections"),
    "enamel": _T("craftsmanship", "texture", (), "smooth enamel with true reflections"),
    "lacquer": _T("craftsmanship", "texture", (), "deep lacquer gloss"),
    "patina": _T("craftsmanship", "texture", ("story_hook",), "worn patina, believable ageing"),
    "edge": _T("craftsmanship", "texture", (), "clean finished edge"),
    "edging": _T("craftsmanship", "texture", (), "clean finished edge"),
    "rivet": _T("craftsmanship", "mechanism", ("proof",), "solid metal rivet, honest wear"),
    "buckle": _T("craftsmanship", "mechanism", (), "solid metal hardware, controlled highlights"),
    "clasp": _T("craftsmanship", "mechanism", (), "precise metal clasp, controlled highlights"),
    "hinge": _T("craftsmanship", "mechanism", ("proof",), "precise machined hinge"),
    "blade": _T("craftsmanship", "texture", ("proof",), "honed steel edge, true reflections"),
    "pattern": _T("craftsmanship", "texture", ("story_hook",), "crisp repeating pattern, real surface texture"),
    "crimp": _T("craftsmanship", "mark", ("proof",), "even crimped seal, clean ridges"),
    "strip": _T("proof", "mark", ("craftsmanship",), "crisp edges, true reflective sheen"),
    "tab": _T("craftsmanship", "mechanism", ("proof",), "neat pull tab, clean edges"),
    "hardware": _T("craftsmanship", "mechanism", ("proof",), "solid metal hardware, controlled highlights"),
    "zipper": _T("craftsmanship", "mechanism", ("proof",), "interlocking metal teeth, crisp edges"),
    "zip": _T("craftsmanship", "mechanism", ("proof",), "interlocking metal teeth, crisp edges"),
    "knurling": _T("craftsmanship", "mechanism", (), "sharp knurled pattern, machined metal"),
    "dial": _T("craftsmanship", "mechanism", ("proof",), "tactile grooves, brushed metal"),
    "bezel": _T("craftsmanship", "mechanism", (), "polished bezel, crisp engraved markers"),
    "crown": _T("craftsmanship", "mechanism", (), "fluted metal crown, machined precision"),
    "movement": _T("craftsmanship", "mechanism", ("proof",), "gears and jewels, fine machining"),
    "facet": _T("craftsmanship", "texture", (), "sharp facets, clean light refraction"),
    "inlay": _T("craftsmanship", "texture", (), "flush inlay, fine joinery"),
    "joinery": _T("craftsmanship", "texture", ("proof",), "tight wood joinery, visible grain"),
    "dovetail": _T("craftsmanship", "texture", ("proof",), "tight wood joinery, visible grain"),
    "weld": _T("craftsmanship", "texture", ("proof",), "clean weld bead, honest metal"),
    "brushed": _T("craftsmanship", "texture", (), "fine directional brushing, controlled specular highlights"),
    "finish": _T("craftsmanship", "texture", (), "even surface finish, controlled highlights"),
    "pleat": _T("craftsmanship", "texture", (), "crisp pleats, realistic fabric"),
    "hem": _T("craftsmanship", "texture", (), "clean hem, tight stitches"),
    "lace": _T("craftsmanship", "texture", (), "fine lace threads"),
    "tread": _T("craftsmanship", "texture", ("proof",), "deep rubber tread pattern"),
    "sole": _T("craftsmanship", "texture", ("proof",), "textured rubber sole"),
    "crust": _T("craftsmanship", "texture", ("story_hook",), "blistered crust, real crumb"),
    "crumb": _T("story_hook", "texture", ("craftsmanship", "proof"), "scattered crumbs, real texture"),
    "thumbprint": _T("story_hook", "mark", ("proof",), "soft thumbprint impression in the surface"),
    "debris": _T("story_hook", "texture", ("proof",), "small scattered debris"),
    "layer": _T("craftsmanship", "texture", ("proof",), "distinct layers, real texture"),
    "marbling": _T("craftsmanship", "texture", ("proof",), "natural marbling, real texture"),
    "crema": _T("craftsmanship", "texture", ("proof",), "tiger-striped crema, fine bubbles"),
    "swirl": _T("craftsmanship", "texture", (), "clean swirl, glossy surface"),
    "brushstroke": _T("craftsmanship", "texture", (), "visible brushstrokes, real paint"),
    "groove": _T("craftsmanship", "texture", (), "tactile grooves, machined precision"),
    "key": _T("craftsmanship", "mechanism", ("proof", "story_hook"), "sculpted keycap, fine legends"),
    "keycap": _T("craftsmanship", "mechanism", ("proof",), "sculpted keycap, fine legends"),
    "nib": _T("craftsmanship", "mechanism", ("story_hook",), "polished nib, fine slit"),
    "bristle": _T("craftsmanship", "texture", ("proof",), "individual bristles, realistic fibres"),
    "applicator": _T("craftsmanship", "mechanism", ("proof",), "precise applicator tip"),
    "selvedge": _T("craftsmanship", "texture", ("proof",), "self-finished selvedge edge, tight weave"),
    "claw": _T("craftsmanship", "mechanism", (), "fine metal claws gripping the stone"),
    "prong": _T("craftsmanship", "mechanism", (), "fine metal prongs gripping the stone"),
    "pave": _T("craftsmanship", "texture", (), "tightly set small stones"),
    "brush": _T("craftsmanship", "mechanism", ("proof",), "precise brush fibres"),
    "wand": _T("craftsmanship", "mechanism", ("proof",), "moulded wand bristles"),
    "aglet": _T("craftsmanship", "mechanism", ("story_hook",), "crisp metal aglet"),
    "eyelet": _T("craftsmanship", "mechanism", (), "clean metal eyelet"),
    "lug": _T("craftsmanship", "mechanism", (), "polished case lug"),
    "caseback": _T("proof", "mark", ("craftsmanship",), "fine engraved caseback"),
    "lume": _T("proof", "texture", ("story_hook",), "glowing luminous paint"),
    "guilloche": _T("craftsmanship", "texture", (), "fine engine-turned guilloché pattern"),
    "guilloché": _T("craftsmanship", "texture", (), "fine engine-turned guilloché pattern"),
    "cork": _T("craftsmanship", "texture", ("proof",), "natural cork grain"),
    "wick": _T("story_hook", "event", (), "charred wick, clean flame"),
    "nozzle": _T("proof", "mechanism", (), "precise nozzle"),
    "dropper": _T("proof", "mechanism", (), "glass dropper, true refraction"),
    "pipette": _T("proof", "mechanism", (), "glass pipette, crisp graduations"),
    "pump": _T("proof", "mechanism", ("craftsmanship",), "precise pump mechanism"),
    "meniscus": _T("proof", "liquid", (), "crisp meniscus line"),
    "cursor": _T("story_hook", "mechanism", ("proof",), "crisp blinking cursor"),
    "pixel": _T("proof", "mechanism", (), "crisp pixels"),
    "haptic": _T("proof", "mechanism", (), "tactile surface"),
    "cushion": _T("craftsmanship", "texture", ("proof",), "soft memory-foam texture"),
    "membrane": _T("proof", "texture", ("craftsmanship",), "fine membrane texture"),
    "tape": _T("craftsmanship", "texture", ("proof",), "clean seam tape"),
    "quilting": _T("craftsmanship", "texture", (), "even quilting lines"),
    "nap": _T("craftsmanship", "texture", (), "soft brushed suede nap"),
    "collar": _T("craftsmanship", "texture", (), "crisp collar edge"),
    "cuff": _T("craftsmanship", "texture", (), "clean cuff finish"),
    "lid": _T("craftsmanship", "mechanism", ("proof",), "precise lid edge"),
    "spout": _T("story_hook", "mechanism", ("proof",), "clean pourer spout"),
    "rim": _T("craftsmanship", "texture", (), "clean rim edge"),
    "swipe": _T("proof", "texture", (), "true product swipe texture"),
    "stem": _T("proof", "mechanism", ("craftsmanship",), "precise switch stem"),
    "thumb": _T("emotion", "face", ("proof",), "natural skin texture"),
    "sensor": _T("proof", "mechanism", (), "precise sensor array"),
    # emotion: the human response
    "eye": _T("emotion", "face", (), "natural skin texture, individual lashes"),
    "iris": _T("emotion", "face", (), "detailed iris texture, natural catchlight"),
    "eyelash": _T("emotion", "face", (), "individual lashes, natural skin texture"),
    "lash": _T("emotion", "face", ("proof",), "individual lashes, natural skin texture"),
    "lip": _T("emotion", "face", ("craftsmanship",), "natural lip texture"),
    "mouth": _T("emotion", "face", (), "natural lip texture"),
    "fingertip": _T("emotion", "face", ("proof",), "natural skin texture, fine fingerprint ridges"),
    "finger": _T("emotion", "face", (), "natural skin texture"),
    "hand": _T("emotion", "face", (), "natural skin texture, relaxed tendons"),
    "knuckle": _T("emotion", "face", (), "natural skin texture, visible tension"),
    "grip": _T("craftsmanship", "texture", ("emotion", "proof"), "tactile textured grip"),
    "tension": _T("emotion", "face", (), "natural skin texture, visible tension"),
    "breath": _T("emotion", "face", ("story_hook",), "fine mist of breath"),
    "freckle": _T("emotion", "face", (), "natural skin texture, real freckles"),
    "goosebump": _T("emotion", "face", ("story_hook",), "raised skin texture"),
    "smile": _T("emotion", "face", (), "natural lip texture, relaxed expression"),
    "pore": _T("proof", "face", ("craftsmanship",), "real skin texture with visible pores"),
    "skin": _T("proof", "face", ("craftsmanship", "emotion"), "real skin texture with visible pores"),
    "cuticle": _T("proof", "face", ("craftsmanship",), "clean cuticle, natural skin texture"),
    "nail": _T("craftsmanship", "face", ("proof",), "glossy nail surface, clean cuticle line"),
    # proof: evidence the viewer can check
    "seal": _T("proof", "mark", ("craftsmanship", "story_hook"), "crisp seal edges, tactile relief"),
    "latch": _T("proof", "mechanism", ("craftsmanship",), "precise latch, crisp machined edges"),
    "lock": _T("proof", "mechanism", ("craftsmanship",), "precise locking mechanism, crisp edges"),
    "lockback": _T("proof", "mechanism", ("craftsmanship",), "precise locking mechanism, crisp edges"),
    "notch": _T("proof", "mechanism", ("craftsmanship",), "clean die-cut notch, crisp edges"),
    "label": _T("proof", "mark", ("craftsmanship",), "crisp print, legible type"),
    "stamp": _T("proof", "mark", ("craftsmanship",), "crisp stamped mark"),
    "hallmark": _T("proof", "mark", ("craftsmanship",), "crisp stamped hallmark in metal"),
    "certification": _T("proof", "mark", (), "crisp printed mark, legible type"),
    "badge": _T("proof", "mark", (), "crisp printed mark"),
    "hologram": _T("proof", "mark", (), "iridescent holographic foil"),
    "serial": _T("proof", "mark", (), "fine engraved numerals"),
    "signature": _T("proof", "mark", ("craftsmanship",), "hand-signed ink on paper"),
    "note": _T("proof", "mark", ("emotion",), "handwritten ink on textured paper"),
    "handwriting": _T("proof", "mark", ("emotion",), "handwritten ink on textured paper"),
    "ingredient": _T("proof", "texture", (), "true ingredient texture"),
    "texture": _T("craftsmanship", "texture", ("proof",), "true material texture"),
    "swatch": _T("proof", "texture", (), "true colour swatch texture"),
    "serum": _T("proof", "liquid", (), "clear viscous serum, true refraction"),
    "cream": _T("proof", "liquid", (), "rich whipped cream texture, soft peaks"),
    "gel": _T("proof", "liquid", (), "clear gel with tiny suspended bubbles"),
    "foam": _T("proof", "liquid", (), "fine dense foam"),
    "lather": _T("proof", "liquid", (), "fine dense lather"),
    "powder": _T("proof", "texture", ("craftsmanship",), "fine powder particles"),
    "pigment": _T("proof", "texture", ("craftsmanship",), "dense pigment, true colour"),
    "shimmer": _T("proof", "texture", ("craftsmanship",), "fine light-catching shimmer"),
    "flake": _T("proof", "texture", ("craftsmanship",), "real flakes, true texture"),
    "leaf": _T("proof", "texture", (), "real leaf texture"),
    "bean": _T("proof", "texture", ("craftsmanship",), "oily roasted bean surface"),
    "seed": _T("proof", "texture", (), "real seeds, true texture"),
    "pulp": _T("proof", "texture", (), "real fruit pulp"),
    "fizz": _T("proof", "liquid", ("story_hook",), "rising carbonation bubbles"),
    "carbonation": _T("proof", "liquid", ("story_hook",), "rising carbonation bubbles"),
    "bubble": _T("proof", "liquid", ("story_hook",), "rising fine bubbles"),
    "interface": _T("proof", "mechanism", (), "crisp pixels, legible interface"),
    "screen": _T("proof", "mechanism", (), "crisp pixels, legible interface"),
    "display": _T("proof", "mechanism", (), "crisp pixels, legible interface"),
    "notification": _T("proof", "mechanism", ("story_hook",), "crisp pixels, legible interface"),
    "indicator": _T("proof", "mechanism", (), "small glowing indicator light"),
    "led": _T("proof", "mechanism", (), "small glowing LED"),
    "readout": _T("proof", "mechanism", (), "crisp legible readout"),
    "gauge": _T("proof", "mechanism", (), "crisp legible gauge markings"),
    "port": _T("proof", "mechanism", ("craftsmanship",), "precisely machined port"),
    "lens": _T("craftsmanship", "mechanism", ("proof", "story_hook"), "clean glass elements, controlled reflections"),
    "mesh": _T("craftsmanship", "texture", ("proof",), "precise mesh perforation"),
    "switch": _T("proof", "mechanism", ("craftsmanship",), "tactile switch, crisp edges"),
    "button": _T("craftsmanship", "mechanism", ("proof", "story_hook"), "tactile button, crisp edges"),
    "cap": _T("proof", "mechanism", ("craftsmanship",), "precise cap threads"),
    "closure": _T("proof", "mechanism", ("craftsmanship",), "precise closure"),
    "barcode": _T("proof", "mark", (), "crisp printed barcode"),
    "tag": _T("proof", "mark", ("story_hook",), "crisp printed tag"),
    "mark": _T("proof", "mark", ("craftsmanship",), "crisp mark"),
    "logo": _T("proof", "mark", ("craftsmanship",), "crisp logo relief"),
    "specimen": _T("proof", "texture", ("story_hook",), "real specimen texture"),
    "cell": _T("proof", "texture", ("story_hook",), "real cell structure"),
    "crystal": _T("craftsmanship", "texture", ("story_hook", "proof"), "sharp crystal facets"),
    "circuit": _T("proof", "mechanism", ("craftsmanship",), "fine circuit traces"),
    "gear": _T("proof", "mechanism", ("craftsmanship",), "precise gear teeth"),
    "scale": _T("proof", "mark", (), "crisp measurement markings"),
    "marking": _T("proof", "mark", (), "crisp measurement markings"),
    # story hooks: a small event or clue that asks a question
    "crack": _T("story_hook", "event", (), "clean fracture edges, true material"),
    "droplet": _T("story_hook", "liquid", ("proof",), "single droplet, true refraction"),
    "drop": _T("story_hook", "liquid", ("proof",), "single drop, true refraction"),
    "drip": _T("story_hook", "liquid", ("proof",), "slow viscous drip, true refraction"),
    "bead": _T("story_hook", "liquid", ("proof",), "single bead of liquid, true refraction"),
    "condensation": _T("story_hook", "liquid", ("proof",), "cold condensation beads, true refraction"),
    "splash": _T("story_hook", "liquid", (), "frozen splash, crisp liquid edges"),
    "spark": _T("story_hook", "event", (), "bright spark, crisp trails"),
    "flame": _T("story_hook", "event", (), "clean flame, glowing edges"),
    "ember": _T("story_hook", "event", (), "glowing ember, fine ash"),
    "steam": _T("story_hook", "event", ("proof",), "rising wisps of steam"),
    "smoke": _T("story_hook", "event", (), "fine wisps of smoke"),
    "scratch": _T("story_hook", "event", ("proof",), "fine scratch, honest wear"),
    "thread": _T("story_hook", "texture", ("craftsmanship",), "single loose thread, realistic fibre"),
    "clue": _T("story_hook", "event", (), "a single readable clue"),
    "frost": _T("story_hook", "liquid", (), "delicate frost crystals"),
    "ice": _T("story_hook", "liquid", (), "clear ice with real refraction"),
    "ripple": _T("story_hook", "liquid", (), "fine ripples, true reflections"),
    "spill": _T("story_hook", "liquid", (), "glossy spill, crisp edges"),
    "fingerprint": _T("story_hook", "mark", (), "faint fingerprint, true surface"),
    "footprint": _T("story_hook", "mark", (), "crisp footprint impression"),
    "tear": _T("story_hook", "event", ("proof",), "torn edge, realistic fibres"),
    "date": _T("proof", "mark", (), "crisp printed or handwritten date"),
    "numbering": _T("proof", "mark", ("craftsmanship",), "crisp engraved numerals"),
    "number": _T("proof", "mark", (), "crisp printed numerals"),
    "code": _T("proof", "mark", (), "crisp printed code"),
    "torn": _T("story_hook", "event", (), "torn edge, realistic fibres"),
    "ink": _T("story_hook", "liquid", ("craftsmanship",), "wet ink, fine bleed into paper"),
    "smudge": _T("story_hook", "mark", (), "soft smudge on a crisp surface"),
    "glint": _T("story_hook", "event", (), "single glint of light"),
    "dust": _T("story_hook", "texture", (), "fine dust particles in a light beam"),
    "crumbs": _T("story_hook", "texture", (), "scattered crumbs, real texture"),
    "zest": _T("story_hook", "texture", ("proof",), "fine zest, misting citrus oil"),
    "melt": _T("story_hook", "liquid", (), "slow glossy melt"),
    "snap": _T("story_hook", "event", ("proof",), "clean snap, crisp fracture"),
    "peel": _T("story_hook", "event", (), "curling peel, real texture"),
    "wax": _T("proof", "mark", ("craftsmanship", "story_hook"), "glossy wax relief, crisp stamp"),
}

# Detail words too generic to stand alone: kept only when qualified ("texture of the cream").
GENERIC_TERMS = frozenset({
    "texture", "finish", "surface", "detail", "details", "material", "pattern", "mark", "layer",
    "edge", "scale", "movement", "key", "crown", "tag", "note", "drop", "tear", "cell",
})

# Words that name a product (the head of the product phrase).
# Words ending in -ing that name a thing, not an action: "stitching", "piping", "rating".
ING_NOUNS = frozenset({"numbering", "stitching", "lettering", "packaging", "engraving", "embossing", "debossing",
                       "foiling", "lining", "piping", "coating", "finishing", "casing", "setting", "housing", "binding",
                       "quilting", "beading", "edging", "marking", "markings", "carving", "printing", "filling",
                       "topping", "icing", "frosting", "seasoning", "dressing", "opening", "string", "wing",
                       "clothing", "knurling", "weaving", "plating", "tooling", "bearing", "ring", "awning", "lacing",
                       "netting", "padding", "webbing", "trimming", "stuffing", "fitting", "fastening", "tubing",
                       "wiring", "inking", "fringing", "smocking", "shirring", "gilding", "rating", "earring",
                       "pudding", "dumpling", "stocking", "wording", "painting", "drawing", "bedding", "siding",
                       "moulding", "molding", "planking", "railing", "ceiling"})

PRODUCT_NOUNS = frozenset("""
bag backpack weekender tote handbag clutch wallet purse belt satchel duffel luggage suitcase
dryer tumbler mower overalls pyjamas pajamas teapot saucepan racket toothbrush toothpaste mouthwash mattress pillow
towel blanket umbrella dumbbell skateboard surfboard paddle hose wallpaper eyeliner decanter thermostat apron
jacket coat parka blazer shirt tee t-shirt sweater jumper cardigan hoodie jeans denim trousers chinos
dress skirt scarf shawl beanie hat cap sneaker sneakers trainer trainers boot boots shoe shoes loafer
loafers sandal sandals sock socks leggings swimsuit bra collection capsule knitwear outerwear
watch timepiece chronograph ring necklace bracelet earrings pendant brooch cufflinks pen fountain
lighter sunglasses spectacles
serum cream moisturiser moisturizer cleanser lotion balm oil mask sunscreen spf toner essence
exfoliant scrub mist treatment retinol lipstick gloss mascara foundation concealer palette eyeshadow
blush highlighter bronzer primer perfume fragrance cologne polish lacquer liner brow shampoo
conditioner soap deodorant
coffee beans espresso tea matcha chocolate bar truffle truffles wine champagne beer ale lager ipa gin vodka
whisky whiskey rum tequila mezcal soda seltzer kombucha juice lemonade water honey bread sourdough
croissant pastry cake cookie cookies biscuit granola cereal sauce hot-sauce cheese butter yogurt
ice-cream gelato snack chips crisps pasta olive burger pizza jam syrup spirits cider latte
can bottle box tin jar pouch carton packaging pack sachet vial flacon case gift-box
headphones earbuds headset phone smartphone laptop notebook tablet keyboard mouse speaker camera
smartwatch tracker charger console controller drone monitor router kettle blender grinder machine
mixer toaster vacuum lamp e-bike bike bicycle scooter thermostat doorbell projector turntable
course textbook workbook microscope calculator app platform curriculum kit lesson lessons globe
telescope atlas flashcards program programme class workshop tutorial bootcamp e-reader reader
layer shell trucker overcoat carre carré rangefinder stick gel leggings candle candles kit vacuum
apron atomiser atomizer flacon helmet set chess aid spray reel harmonica puzzle adhesive whisk record vinyl hearing-aid
bike knife socks balm tablet stylus workbook notebook journal planner backpack gloves mitts jacket goggles
chair table sofa desk vase bowl mug cup plate knife knives cookware pan skillet candle rug
""".split())

# Channels: the DESIGN vocabulary key -> words that reveal it.
# Units a number measures a part in: "5 mm lugs", "100 gsm paper", "1.5 ct".
UNITS = frozenset({"mm", "cm", "g", "kg", "ml", "oz", "gsm", "mah", "psi", "kn", "um", "µm", "microns", "inch", "ct",
                   "kt"})

# What a brief delivers rather than sells or shows: never the product, never a detail ("the carousel", "stills").
DELIVERABLE_NOUNS = frozenset({"carousel", "carousels", "reel", "reels", "post", "posts", "story", "stories", "ad",
                               "ads", "spot", "slides", "tiles", "banner", "banners", "listing", "pdp", "hero",
                               "shoot", "assets", "visuals", "cutdown", "cutdowns", "teaser", "trailer", "unboxing",
                               "still", "stills", "photos", "images", "shots", "preview", "previews", "deliverable",
                               "deliverables", "lookbook", "lookbooks"})

CHANNELS: dict[str, tuple[str, ...]] = {
    "instagram_carousel": ("carousel", "slides"),
    "landing_page_hero": ("landing page", "hero banner", "homepage", "home page", "website hero", "web hero"),
    "social_ad_opener": ("paid social", "ad opener", "social ad", "pre-roll", "preroll", "thumb-stop",
                         "thumbstop", "scroll-stopping", "scroll-stopper", "scroll stopper", "first second",
                         "first frame", "meta ad", "ad creative"),
    "product_grid": ("product grid", "pdp", "product page", "product detail page", "e-commerce",
                     "ecommerce", "online store", "shop grid", "marketplace", "listing", "amazon"),
    "short_video": ("reel", "reels", "tiktok", "shorts", "short-form", "short form", "stories", "story ad",
                    "video", "9:16", "storyboard", "animatic", "commercial", "cutdown", "cut-down", "youtube",
                    "bumper", "cinemagraph", "trailer"),
    "print": ("print", "magazine", "catalogue", "catalog", "brochure", "lookbook", "press kit", "leaflet"),
    "out_of_home": ("billboard", "out-of-home", "out of home", "ooh", "poster", "bus shelter",
                    "subway", "metro", "digital screen", "storefront", "in-store", "window display"),
}

# Default aspect ratio per channel (the first channel of the brief wins).
CHANNEL_ASPECT = {
    "instagram_carousel": "4:5", "landing_page_hero": "16:9", "social_ad_opener": "4:5",
    "product_grid": "1:1", "short_video": "9:16", "print": "4:5", "out_of_home": "16:9",
}

# Goal stems -> the canonical value proposition.
GOALS: dict[str, str] = {
    "durab": "durability", "built to last": "durability", "long-lasting": "durability", "lasts": "durability",
    "rugged": "durability", "tough": "durability", "hard-wearing": "durability", "heirloom": "durability",
    "waterproof": "weather protection", "water-resistant": "weather protection", "weatherproof": "weather protection",
    "craft": "craftsmanship", "handmade": "craftsmanship", "hand-made": "craftsmanship", "hand-stitch": "craftsmanship",
    "hand-finish": "craftsmanship", "artisan": "craftsmanship", "hand-blown": "craftsmanship",
    "hand-thrown": "craftsmanship",
    "precision": "precision", "precise": "precision", "engineered": "precision", "machined": "precision",
    "quality": "quality", "premium": "premium feel", "luxur": "premium feel",
    "hydrat": "hydration", "moistur": "hydration", "plump": "hydration",
    "fresh": "freshness", "refreshing": "refreshment", "thirst": "refreshment",
    "natural ingredients": "natural ingredients", "organic": "natural ingredients",
    "ingredient": "ingredient transparency",
    "clean beauty": "clean formula", "fragrance-free": "clean formula", "vegan": "clean formula",
    "sustainab": "sustainability", "recycl": "sustainability", "eco": "sustainability", "compostable": "sustainability",
    "authentic": "authenticity", "genuine": "authenticity", "tamper": "safety", "safe": "safety",
    "comfort": "comfort", "softness": "softness", "cosy": "comfort", "cozy": "comfort", "breathab": "comfort",
    "taste": "taste", "flavour": "taste", "flavor": "taste", "indulg": "indulgence",
    "radian": "radiance", "luminous": "radiance", "long-wear": "longwear", "longwear": "longwear",
    "pigment": "colour payoff", "colour payoff": "colour payoff", "color payoff": "colour payoff",
    "tactile": "tactile quality",
    "speed": "speed", "fast": "speed", "performance": "performance", "battery": "battery life",
    "sound quality": "sound quality", "audio": "sound quality", "clarity": "clarity",
    "learn": "learning", "understand": "understanding", "hands-on": "hands-on learning", "curiosity": "curiosity",
    "gift": "giftability", "unboxing": "unboxing", "reveal": "reveal",
    "trust": "trust", "transparen": "transparency", "proven": "proof of efficacy", "clinically": "proof of efficacy",
    "results": "proof of efficacy", "efficacy": "proof of efficacy", "heritage": "heritage",
}

TONES = (
    "premium", "luxury", "playful", "bold", "minimal", "warm", "clinical", "clean", "moody", "energetic",
    "calm", "raw", "honest", "natural", "editorial", "cinematic", "elegant", "modern", "rustic", "quiet",
    "confident", "fun", "sophisticated", "intimate", "technical", "friendly", "vibrant", "understated",
)

COLORS = frozenset("""
black white ivory cream beige sand tan camel brown chocolate cognac chestnut mahogany espresso
red crimson burgundy oxblood wine maroon scarlet coral pink blush rose fuchsia magenta
orange rust terracotta amber peach yellow mustard gold golden ochre lemon
green olive sage forest emerald mint khaki teal turquoise aqua
blue navy cobalt indigo sky azure denim slate grey gray charcoal graphite silver
purple lilac lavender violet plum mauve bronze copper champagne pearl nude onyx jet
""".split())

# Materials worth naming in a prompt when the brief mentions them.
MATERIALS = frozenset("""
leather suede nubuck canvas cotton linen wool merino cashmere silk denim nylon polyester fleece
velvet corduroy tweed knit mesh rubber steel aluminium aluminum titanium brass copper bronze gold
silver platinum ceramic porcelain stoneware glass crystal wood walnut oak ash maple bamboo marble
stone concrete paper cardboard kraft foil wax cork acrylic resin enamel chrome carbon
""".split())

# Words that stop a noun phrase: determiners, pronouns, prepositions, auxiliaries, common brief verbs.
STOPWORDS = frozenset("""
a an the this that these those our your their its his her my we you they it i me us them he she
and or but nor so yet if then than as of on in at by for with from to into onto over under along
across around through between within without about above below behind beside near inside outside
upon off up down out via per is are was were be been being am do does did done have has had having
will would can could should may might must shall not no never every each all any some more most
very really just also only even still too quite rather much many few such both either neither
show shows showing showcase highlight highlights feature features capture captures want wants need
needs love like make makes let lets get gets see sees use uses think include includes including
zoom shoot shot shots frame frames image images visual visuals emphasise emphasize emphasising
celebrate tell prove sell give bring put keep keeps hero campaign campaigns launch launching
introducing introduce new brand brands please ideally maybe perhaps something anything everything
nothing one two three four five six seven eight nine ten first second last next final where when
what which who whom whose how why there here while during before after since until again once
like close close-up close-ups closeup closeups extreme macro ecu ecus detail details crop crops
moment moments way ways look looks feel feels sense vibe
""".split())

NEGATORS = frozenset({
    "no", "not", "never", "without", "avoid", "avoiding", "don't", "dont", "doesn't", "isn't", "aren't",
    "won't", "nothing", "skip", "n't", "nor", "against", "instead", "rather", "except", "zero", "lose", "cant",
    "wont", "doesnt", "isnt", "neither", "nobody",
})
