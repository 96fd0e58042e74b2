"""A fixed background of ordinary listing descriptions, to calibrate meaning scores.

Sentence-embedding cosines cluster high (0.80–0.93 for multilingual-e5) and some texts —
short, generic ones — are close to everything. Each stored vector carries its *hubness*: the
mean of its best cosines with this background, computed once when the vector is made. The
engine compares two listings by their cosine minus their mean hubness, so that a generic text
does not look relevant to everything. Written for this purpose, independently of the
evaluation set in ``bench/data``.
"""

from __future__ import annotations

BACKGROUND_FR: tuple[str, ...] = (
    "Nous avons besoin d'aide pour notre association.",
    "Recherche de partenaires pour un projet local.",
    "Notre entreprise souhaite s'engager auprès des associations du territoire.",
    "Besoin de matériel pour nos activités.",
    "Nous proposons du matériel en bon état.",
    "Un local pour nos activités.",
    "Mise à disposition de locaux.",
    "Des bénévoles disponibles le week-end.",
    "Nous cherchons des bénévoles.",
    "Mécénat de compétences de nos collaborateurs.",
    "Soutien financier à des projets associatifs.",
    "Recherche de financements pour l'année prochaine.",
    "Accompagnement des associations dans leurs démarches.",
    "Un coup de main ponctuel serait le bienvenu.",
    "Projet solidaire dans le quartier.",
    "Organisation d'ateliers pour les habitants.",
    "Aide pour l'organisation de nos événements.",
    "Des conseils pour mieux nous structurer.",
    "Prêt de véhicules utilitaires pour des déménagements.",
    "Cours de langue pour des personnes réfugiées.",
    "Matériel de camping pour des séjours de vacances.",
    "Instruments de musique pour une école associative.",
    "Jeux et jouets pour une ludothèque.",
    "Traduction de documents en anglais.",
    "Photographe pour un reportage sur nos actions.",
    "Nettoyage d'un terrain avant travaux.",
    "Une cuisine équipée pour des ateliers culinaires.",
    "Formation aux premiers secours pour nos animateurs.",
    "Location d'un minibus pour les sorties.",
    "Impression de documents en grande quantité.",
    "Animation d'un atelier de théâtre pour adolescents.",
    "Accueil de stagiaires dans nos équipes.",
    "Des livres pour une bibliothèque de rue.",
    "Réparation de la toiture de notre local.",
    "Des tentes et des tables pour une brocante.",
    "Un terrain pour installer des ruches.",
    "Conseil en assurance pour une association.",
    "Enregistrement d'un podcast.",
    "Vente de produits artisanaux.",
    "Collecte de fonds pour une cause humanitaire.",
)
