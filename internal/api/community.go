package api

import "github.com/gofiber/fiber/v2"

// registerCommunity mounts comment, star and rating routes.
func (h *handler) registerCommunity(r fiber.Router) {}
